import { forgetConfig } from './own-idp';

/**
 * Sets (a string) or removes (undefined) app environment variables for the test process and
 * forgets everything built from the previous configuration. Unit specs beside lib/ modules use
 * it, since product code and its specs never touch process.env themselves.
 */
export function setAppEnv(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  forgetConfig();
}

/** CI installs what a fresh machine lacks (redis-server): there, tests needing it always run. */
export const isCi = () => process.env.CI === 'true';
