import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../local-idp/server.mjs';
import { LOCAL_CLIENT, localIdpConflict } from '../scripts/dev-guard.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('npm run dev never pairs real credentials with the local IdP', () => {
  it('knows the local IdP’s own client', () => {
    expect(LOCAL_CLIENT).toEqual({
      clientId: DEFAULTS.clientId,
      clientSecret: DEFAULTS.clientSecret,
    });
  });

  it.each([
    ['nothing set', {}],
    ['the local client', { SCALEKIT_CLIENT_ID: 'skc_local_dev' }],
    ['empty values', { SCALEKIT_CLIENT_ID: '', SCALEKIT_CLIENT_SECRET: ' ' }],
    [
      'real values with SCALEKIT_ENV_URL',
      { SCALEKIT_ENV_URL: 'https://a.scalekit.dev', SCALEKIT_CLIENT_ID: 'skc_1' },
    ],
    [
      'real values with SCALEKIT_ENVIRONMENT_URL',
      { SCALEKIT_ENVIRONMENT_URL: 'https://a.scalekit.dev', SCALEKIT_CLIENT_ID: 'skc_1' },
    ],
  ])('starts with %s', (_, env) => {
    expect(localIdpConflict(env)).toBeUndefined();
  });

  it.each([
    ['a real client id', { SCALEKIT_CLIENT_ID: 'skc_58327482062864390' }],
    ['a real secret', { SCALEKIT_CLIENT_SECRET: 'test_abc' }],
    [
      'a real client id and a blank env URL',
      { SCALEKIT_CLIENT_ID: 'prd_skc_1', SCALEKIT_ENV_URL: '  ' },
    ],
  ])('refuses %s without an env URL, naming the fix', (_, env) => {
    const message = localIdpConflict(env);
    expect(message).toContain('SCALEKIT_ENV_URL');
    expect(message).toContain('npm run setup');
    // The secret itself is never printed.
    expect(message).not.toContain('test_abc');
  });

  it('the real script exits non-zero with that message before starting anything', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'dev.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 15_000,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        // Empty, not absent: a .env.local in the checkout cannot fill them in either.
        SCALEKIT_ENV_URL: '',
        SCALEKIT_ENVIRONMENT_URL: '',
        SCALEKIT_CLIENT_ID: 'skc_58327482062864390',
        SCALEKIT_CLIENT_SECRET: 'real-secret-value',
        LOCAL_IDP_PORT: '1',
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'SCALEKIT_CLIENT_ID (skc_58327482062864390) is set to a real Scalekit value',
    );
    expect(result.stderr).not.toContain('real-secret-value');
    expect(result.stdout).not.toContain('local IdP');
  });
});
