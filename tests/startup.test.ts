import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '@/instrumentation';
import { resetConfig } from '@/lib/server/testing';

/**
 * `next start` runs instrumentation.ts's register() before it takes traffic; an unsafe production
 * configuration must stop the process there, with the message naming the variable and the fix.
 */
const env = process.env as Record<string, string | undefined>;
const saved = { ...env };

afterEach(() => {
  for (const key of Object.keys(env)) if (!(key in saved)) delete env[key];
  Object.assign(env, saved);
  resetConfig();
  vi.restoreAllMocks();
});

async function boot(overrides: Record<string, string>) {
  Object.assign(env, { NEXT_RUNTIME: 'nodejs', NODE_ENV: 'production' }, overrides);
  resetConfig();
  const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`exit ${code}`);
  });
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  const outcome = await register().then(
    () => 'started',
    (e: Error) => e.message,
  );
  return { outcome, exit, printed: error.mock.calls.map((c) => String(c[0])).join('\n') };
}

describe('next start refuses an unsafe production configuration at boot', () => {
  it.each([
    [{ SESSION_COOKIE_SECRET: 'x'.repeat(32) }, 'SESSION_COOKIE_SECRET', 'openssl rand'],
    [{ SESSION_COOKIE_SECRET: 'changeme'.repeat(4) }, 'SESSION_COOKIE_SECRET', 'openssl rand'],
    [{ APP_URL: 'http://app.example.com' }, 'APP_URL', 'https://'],
    [{ SCALEKIT_ENV_URL: 'http://acme.scalekit.dev' }, 'SCALEKIT_ENV_URL', 'https://'],
    [{ APP_URL: '', ALLOWED_HOSTS: '*.com' }, 'ALLOWED_HOSTS', 'public suffix'],
  ])('%j → exit 1, printing %s and the fix', async (overrides, name, fix) => {
    const { outcome, exit, printed } = await boot(overrides);
    expect(outcome).toBe('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed).toContain(name);
    expect(printed).toContain(fix);
  });

  it('starts with a safe configuration (loopback http stays allowed)', async () => {
    const { outcome, exit } = await boot({ APP_URL: 'http://localhost:3000' });
    expect(outcome).toBe('started');
    expect(exit).not.toHaveBeenCalled();
  });
});
