import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalIdp, type LocalIdp, type LocalIdpOptions } from '../../local-idp/server.mjs';
import { appUrl } from './routes';
import { resetConfig, resetIdpHealth, resetIssuers, resetScalekit } from '@/lib/server/testing';

/**
 * A local IdP of the test file's own (its variant, its faults, its keys), in a throw-away data
 * dir, with the run's client credentials unless `options` say otherwise. `close()` removes both.
 */
export async function startOwnIdp(
  name: string,
  options: Partial<LocalIdpOptions> = {},
): Promise<{ idp: LocalIdp; dataDir: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `local-idp-${name}-`));
  const idp = await startLocalIdp({
    port: 0,
    dataDir,
    appUrl: appUrl(),
    clientId: process.env.SCALEKIT_CLIENT_ID,
    clientSecret: process.env.SCALEKIT_CLIENT_SECRET,
    persist: false,
    log: false,
    ...options,
  });
  return {
    idp,
    dataDir,
    async close() {
      await idp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Forgets every cached answer that depends on the configuration (config, SDK, health, issuers). */
export function forgetConfig(): void {
  resetConfig();
  resetScalekit();
  resetIdpHealth();
  resetIssuers();
}

/** Points lib/server/config.ts at `idp` (plus any extra variables) and forgets what was cached. */
export function pointAppAt(
  idp: Pick<LocalIdp, 'url' | 'clientId' | 'clientSecret'>,
  env: Record<string, string> = {},
): void {
  Object.assign(process.env, env, {
    SCALEKIT_ENV_URL: idp.url,
    SCALEKIT_CLIENT_ID: idp.clientId,
    SCALEKIT_CLIENT_SECRET: idp.clientSecret,
  });
  forgetConfig();
}
