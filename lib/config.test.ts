import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { AuthError } from './errors';

const valid = {
  SCALEKIT_ENV_URL: 'https://acme.scalekit.dev/',
  SCALEKIT_CLIENT_ID: 'skc_123',
  SCALEKIT_CLIENT_SECRET: 'test-secret',
  SESSION_COOKIE_SECRET: 'x'.repeat(32),
  APP_URL: 'https://app.example.com',
  NODE_ENV: 'production',
};

function problem(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('config_invalid');
    return (error as Error).message;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig', () => {
  it('normalizes APP_URL to an origin and the env URL without a trailing slash', () => {
    const config = parseConfig({ ...valid, APP_URL: 'https://app.example.com/' });
    expect(config.scalekit.envUrl).toBe('https://acme.scalekit.dev');
    expect(config.appUrl).toBe('https://app.example.com');
    expect(config.session).toEqual({ maxAgeSeconds: 604800, idleTimeoutSeconds: 86400 });
  });

  it('rejects an APP_URL with a path', () => {
    expect(problem({ ...valid, APP_URL: 'https://app.example.com/app' })).toContain('origin only');
  });

  it('accepts ALLOWED_HOSTS instead of APP_URL in production, and validates its patterns', () => {
    const config = parseConfig({
      ...valid,
      APP_URL: undefined,
      ALLOWED_HOSTS: 'app.example.com, *.vercel.app',
    });
    expect(config.appUrl).toBeUndefined();
    expect(config.allowedHosts).toEqual(['app.example.com', '*.vercel.app']);
    expect(config.trustProxyHeaders).toBe(false);
    for (const bad of ['https://app.example.com', '*', '*.*.com', 'app.example.com/path', 'a b']) {
      expect(problem({ ...valid, APP_URL: undefined, ALLOWED_HOSTS: bad })).toContain(
        'ALLOWED_HOSTS',
      );
    }
  });

  it('keeps the bench-only route off unless BENCH_ROUTES is set, and validates it', () => {
    expect(parseConfig(valid).benchRoutes).toBe(false);
    expect(parseConfig({ ...valid, BENCH_ROUTES: '' }).benchRoutes).toBe(false);
    expect(parseConfig({ ...valid, BENCH_ROUTES: 'false' }).benchRoutes).toBe(false);
    expect(parseConfig({ ...valid, BENCH_ROUTES: 'true' }).benchRoutes).toBe(true);
    expect(parseConfig({ ...valid, BENCH_ROUTES: '1' }).benchRoutes).toBe(true);
    expect(problem({ ...valid, BENCH_ROUTES: 'yes' })).toContain('BENCH_ROUTES');
  });

  it('rejects bad TRUST_PROXY_HEADERS and session lifetimes with the variable named', () => {
    expect(problem({ ...valid, TRUST_PROXY_HEADERS: 'yes' })).toContain('TRUST_PROXY_HEADERS');
    expect(problem({ ...valid, SESSION_MAX_AGE: '10' })).toContain('SESSION_MAX_AGE');
    expect(problem({ ...valid, SESSION_IDLE_TIMEOUT: 'soon' })).toContain('SESSION_IDLE_TIMEOUT');
  });

  it.each([
    'SCALEKIT_ENV_URL',
    'SCALEKIT_CLIENT_ID',
    'SCALEKIT_CLIENT_SECRET',
    'SESSION_COOKIE_SECRET',
  ])('names a missing %s and says how to fix it', (name) => {
    const message = problem({ ...valid, [name]: undefined });
    expect(message).toContain(name);
    expect(message).toMatch(/\.env\.local|openssl rand/);
  });

  it.each(['SCALEKIT_ENVIRONMENT_URL', 'SCALEKIT_ENV_URL'])(
    'reads the env URL from %s alone, trailing slash stripped',
    (name) => {
      const config = parseConfig({
        ...valid,
        SCALEKIT_ENV_URL: undefined,
        [name]: 'https://acme.scalekit.dev//',
      });
      expect(config.scalekit.envUrl).toBe('https://acme.scalekit.dev');
    },
  );

  it('accepts both env URL names set to the same URL (trailing slash aside)', () => {
    const config = parseConfig({
      ...valid,
      SCALEKIT_ENVIRONMENT_URL: 'https://acme.scalekit.dev',
      SCALEKIT_ENV_URL: 'https://acme.scalekit.dev/',
    });
    expect(config.scalekit.envUrl).toBe('https://acme.scalekit.dev');
  });

  it('refuses both env URL names set to different URLs, naming both', () => {
    const message = problem({
      ...valid,
      SCALEKIT_ENVIRONMENT_URL: 'https://acme.scalekit.com',
      SCALEKIT_ENV_URL: 'https://acme.scalekit.dev',
    });
    expect(message).toContain('SCALEKIT_ENVIRONMENT_URL and SCALEKIT_ENV_URL are both set');
    // Reported even when another variable is also wrong, so one fix round is enough.
    expect(
      problem({
        ...valid,
        SCALEKIT_CLIENT_ID: undefined,
        SCALEKIT_ENVIRONMENT_URL: 'https://a.scalekit.dev',
        SCALEKIT_ENV_URL: 'https://b.scalekit.dev',
      }),
    ).toMatch(/both set[\s\S]*SCALEKIT_CLIENT_ID/);
  });

  it('names both env URL variables when neither is set', () => {
    const message = problem({ ...valid, SCALEKIT_ENV_URL: undefined });
    expect(message).toContain('SCALEKIT_ENVIRONMENT_URL (or SCALEKIT_ENV_URL) is not set');
  });

  it('rejects a short cookie secret, including one short secret in a rotation list', () => {
    expect(problem({ ...valid, SESSION_COOKIE_SECRET: 'short' })).toContain(
      'at least 32 characters',
    );
    expect(problem({ ...valid, SESSION_COOKIE_SECRET: `${'n'.repeat(32)},short` })).toContain(
      'SESSION_COOKIE_SECRET',
    );
  });

  it('accepts several comma-separated secrets, newest first', () => {
    const config = parseConfig({
      ...valid,
      SESSION_COOKIE_SECRET: `${'n'.repeat(32)}, ${'o'.repeat(40)}`,
    });
    expect(config.cookieSecrets).toEqual(['n'.repeat(32), 'o'.repeat(40)]);
  });

  it('rejects a non-URL env URL and a non-http scheme', () => {
    expect(problem({ ...valid, SCALEKIT_ENV_URL: 'acme.scalekit.dev' })).toContain(
      'SCALEKIT_ENV_URL',
    );
    expect(problem({ ...valid, APP_URL: 'ftp://app.example.com' })).toContain('APP_URL');
  });

  it('requires APP_URL in production and defaults it to localhost:3000 in development', () => {
    expect(problem({ ...valid, APP_URL: undefined })).toContain('APP_URL');
    const dev = parseConfig({ ...valid, APP_URL: undefined, NODE_ENV: 'development' });
    expect(dev.appUrl).toBe('http://localhost:3000');
  });

  it('EXAMPLE_API_URL: optional in production, localhost:4000 in development, checked when set', () => {
    expect(parseConfig(valid).exampleApiUrl).toBeNull();
    expect(parseConfig({ ...valid, NODE_ENV: 'development' }).exampleApiUrl).toBe(
      'http://localhost:4000',
    );
    expect(
      parseConfig({ ...valid, EXAMPLE_API_URL: 'https://api.example.com/' }).exampleApiUrl,
    ).toBe('https://api.example.com');
    const message = problem({ ...valid, EXAMPLE_API_URL: 'api.example.com' });
    expect(message).toContain('EXAMPLE_API_URL');
    expect(message).toContain('leave it unset');
  });

  it('never echoes a secret value in its error message', () => {
    const message = problem({
      ...valid,
      SESSION_COOKIE_SECRET: 'tooshort-but-secret',
      SCALEKIT_ENV_URL: undefined,
    });
    expect(message).not.toContain('tooshort-but-secret');
  });
});
