import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { AuthError } from '@/lib/auth/outcomes';

// `openssl rand -base64 32` output, as .env.example asks for (production refuses weak secrets).
const SECRET_A = 'q7Vw2mZ9pL4tR8sK1xN6bH3yF5cJ0dGaUe+Yo/Ti4Ws=';
const SECRET_B = 'M3kP9xR2vN8qL5tB7wZ1cY4hJ6fD0sGaXe+Ko/Ui2Qm=';

const valid = {
  SCALEKIT_ENV_URL: 'https://acme.scalekit.dev/',
  SCALEKIT_CLIENT_ID: 'skc_123',
  SCALEKIT_CLIENT_SECRET: 'test-secret',
  SESSION_COOKIE_SECRET: SECRET_A,
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

  it('reads extra access-token audiences, and refuses a value that is not one', () => {
    expect(parseConfig(valid).scalekit.accessTokenAudiences).toEqual([]);
    const config = parseConfig({
      ...valid,
      SCALEKIT_ACCESS_TOKEN_AUDIENCE: 'https://api.example.com, urn:example:api',
    });
    expect(config.scalekit.accessTokenAudiences).toEqual([
      'https://api.example.com',
      'urn:example:api',
    ]);
    expect(problem({ ...valid, SCALEKIT_ACCESS_TOKEN_AUDIENCE: 'two words' })).toContain(
      'SCALEKIT_ACCESS_TOKEN_AUDIENCE',
    );
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
    expect(problem({ ...valid, SESSION_COOKIE_SECRET: `${SECRET_A},short` })).toContain(
      'SESSION_COOKIE_SECRET',
    );
  });

  it('accepts several comma-separated secrets, newest first', () => {
    const config = parseConfig({
      ...valid,
      SESSION_COOKIE_SECRET: `${SECRET_A}, ${SECRET_B}`,
    });
    expect(config.cookieSecrets).toEqual([SECRET_A, SECRET_B]);
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

  it('SCALEKIT_WEBHOOK_SECRET: optional, must be a whsec_ secret, never echoed', () => {
    expect(parseConfig(valid).webhookSecret).toBeUndefined();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    expect(parseConfig({ ...valid, SCALEKIT_WEBHOOK_SECRET: secret }).webhookSecret).toBe(secret);
    const message = problem({ ...valid, SCALEKIT_WEBHOOK_SECRET: 'sk_live_not-a-webhook-secret' });
    expect(message).toContain('SCALEKIT_WEBHOOK_SECRET must be the signing secret');
    expect(message).not.toContain('not-a-webhook-secret');
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

describe('production refuses weak or unsafe configuration', () => {
  const weakSecrets = [
    'x'.repeat(32),
    'a'.repeat(64),
    '0'.repeat(44),
    'ab'.repeat(16),
    'abcd'.repeat(8),
    'Ab1!'.repeat(10),
    '0123456789abcdef'.repeat(2),
    'changeme'.repeat(4),
    'change-me-change-me-change-me-32',
    'CHANGEME_before_deploying_0123456789',
    'your-secret-here-at-least-32-chars-long',
    'replace-me-with-a-long-random-string',
    'placeholder-session-cookie-secret-1234',
    'Password1234567890Password1234567',
    'generate-with-openssl-rand-base64-32',
    'this-is-an-example-secret-0123456789',
    'default-default-default-default-default',
    'aaaabbbbccccddddaaaabbbbccccdddd1',
    'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbcc',
  ];

  it.each(weakSecrets)('refuses SESSION_COOKIE_SECRET %j, naming it and the fix', (secret) => {
    const message = problem({ ...valid, SESSION_COOKIE_SECRET: secret });
    expect(message).toContain('SESSION_COOKIE_SECRET');
    expect(message).toContain('openssl rand -base64 32');
    expect(message).not.toContain(secret);
  });

  it('refuses a weak secret anywhere in a rotation list, saying which one', () => {
    const message = problem({ ...valid, SESSION_COOKIE_SECRET: `${SECRET_A},${'x'.repeat(32)}` });
    expect(message).toContain('SESSION_COOKIE_SECRET (secret 2 of 2)');
  });

  it('always accepts real random secrets (openssl rand -base64 32, -hex 16/32, base64url)', () => {
    for (let i = 0; i < 2000; i++) {
      for (const secret of [
        randomBytes(32).toString('base64'),
        randomBytes(24).toString('base64'),
        randomBytes(16).toString('hex'),
        randomBytes(32).toString('hex'),
        randomBytes(32).toString('base64url'),
      ]) {
        expect(parseConfig({ ...valid, SESSION_COOKIE_SECRET: secret }).cookieSecrets).toEqual([
          secret,
        ]);
      }
    }
  });

  it("accepts the repository's own production-mode secrets (e2e, load test, bench)", () => {
    for (const secret of [
      'e2e-session-cookie-secret-0123456789abcdef',
      'load-test-session-cookie-secret-0123456789abcdef',
      'bench-session-cookie-secret-0123456789abcdef',
    ]) {
      expect(parseConfig({ ...valid, SESSION_COOKIE_SECRET: secret }).cookieSecrets).toEqual([
        secret,
      ]);
    }
  });

  it('leaves development alone: a weak secret or a public http URL still starts `npm run dev`', () => {
    const dev = { ...valid, NODE_ENV: 'development' };
    expect(parseConfig({ ...dev, SESSION_COOKIE_SECRET: 'x'.repeat(32) }).cookieSecrets).toEqual([
      'x'.repeat(32),
    ]);
    expect(parseConfig({ ...dev, APP_URL: 'http://app.example.com' }).appUrl).toBe(
      'http://app.example.com',
    );
  });

  const publicHttp = [
    ['APP_URL', 'http://app.example.com'],
    ['APP_URL', 'http://localhost.evil.com'],
    ['APP_URL', 'http://127.0.0.1.nip.io:3000'],
    ['APP_URL', 'http://10.0.0.5:3000'],
    ['SCALEKIT_ENV_URL', 'http://acme.scalekit.dev'],
    ['SCALEKIT_ENV_URL', 'http://auth.example.com/'],
    ['EXAMPLE_API_URL', 'http://api.example.com'],
    ['EXAMPLE_API_URL', 'http://192.168.1.10:4000'],
  ] as const;

  it.each(publicHttp)('refuses %s=%s: names it and asks for https', (name, url) => {
    const message = problem({ ...valid, [name]: url });
    expect(message).toContain(name);
    expect(message).toContain('https://');
    expect(message).toContain('localhost, 127.0.0.1 and ::1');
  });

  it('checks the parsed env URL whichever name set it', () => {
    const message = problem({
      ...valid,
      SCALEKIT_ENV_URL: undefined,
      SCALEKIT_ENVIRONMENT_URL: 'http://acme.scalekit.dev',
    });
    expect(message).toContain('SCALEKIT_ENVIRONMENT_URL (or SCALEKIT_ENV_URL) uses http://');
  });

  it.each([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://127.0.0.2',
    'http://[::1]:3000',
    'http://LOCALHOST:3100',
  ])('keeps loopback http allowed: %s for all three URLs', (url) => {
    const config = parseConfig({
      ...valid,
      APP_URL: url,
      SCALEKIT_ENV_URL: url,
      EXAMPLE_API_URL: url,
    });
    expect(config.appUrl).toBe(new URL(url).origin);
  });

  it.each([
    '*.com',
    '*.app',
    '*.io',
    '*.localhost',
    '*.co.uk',
    '*.com.au',
    '*.ac.jp',
    '*.org.uk:443',
    '*.com:8443',
    '*.0.1',
    'app.example.com,*.co.uk',
  ])('refuses ALLOWED_HOSTS=%s (a wildcard over a public suffix)', (hosts) => {
    const message = problem({ ...valid, APP_URL: undefined, ALLOWED_HOSTS: hosts });
    expect(message).toContain('ALLOWED_HOSTS');
    expect(message).toContain('public suffix');
    // Not only at boot in production: the pattern is never right.
    expect(() =>
      parseConfig({ ...valid, NODE_ENV: 'development', APP_URL: undefined, ALLOWED_HOSTS: hosts }),
    ).toThrow(/ALLOWED_HOSTS/);
  });

  it.each(['*.vercel.app', '*.preview.example.com', '*.example.co.uk', '*.example.com:8443'])(
    'accepts ALLOWED_HOSTS=%s (a wildcard on a registrable domain, or Vercel previews)',
    (hosts) => {
      const config = parseConfig({ ...valid, APP_URL: undefined, ALLOWED_HOSTS: hosts });
      expect(config.allowedHosts).toEqual([hosts]);
    },
  );

  it('lists every problem at once, so one deploy shows all of them', () => {
    const message = problem({
      ...valid,
      SESSION_COOKIE_SECRET: 'changeme'.repeat(4),
      APP_URL: 'http://app.example.com',
      SCALEKIT_ENV_URL: 'http://acme.scalekit.dev',
      EXAMPLE_API_URL: 'http://api.example.com',
      ALLOWED_HOSTS: '*.com',
    });
    for (const name of [
      'SESSION_COOKIE_SECRET',
      'APP_URL',
      'SCALEKIT_ENV_URL',
      'EXAMPLE_API_URL',
      'ALLOWED_HOSTS',
    ]) {
      expect(message).toContain(name);
    }
  });
});

describe('analytics settings', () => {
  const WHSEC = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

  it('defaults: redis with REDIS_URL, webhook with its URL, else stdout', () => {
    expect(parseConfig(valid).analytics).toMatchObject({
      sinks: ['stdout'],
      redisStream: 'analytics:events',
      redisMaxLen: 100_000,
      webhook: null,
      bufferMax: 10_000,
    });
    expect(parseConfig({ ...valid, REDIS_URL: 'redis://r:6379' }).analytics.sinks).toEqual([
      'redis',
    ]);
    const both = parseConfig({
      ...valid,
      REDIS_URL: 'redis://r:6379',
      ANALYTICS_WEBHOOK_URL: 'https://hooks.example.com/a',
      ANALYTICS_WEBHOOK_SECRET: WHSEC,
    }).analytics;
    expect(both.sinks).toEqual(['redis', 'webhook']);
    expect(both.webhook).toEqual({ url: 'https://hooks.example.com/a', secret: WHSEC });
    expect(parseConfig({ ...valid, ANALYTICS_SINKS: 'none' }).analytics.sinks).toEqual([]);
  });

  it('names the variable and the fix for every setting that cannot work', () => {
    expect(problem({ ...valid, ANALYTICS_SINKS: 'kafka' })).toContain(
      'ANALYTICS_SINKS must be a comma-separated list of stdout, redis, webhook, none',
    );
    expect(problem({ ...valid, ANALYTICS_SINKS: 'redis' })).toContain(
      'ANALYTICS_SINKS lists redis but REDIS_URL is not set',
    );
    expect(problem({ ...valid, ANALYTICS_SINKS: 'webhook' })).toContain(
      'ANALYTICS_SINKS lists webhook but ANALYTICS_WEBHOOK_URL is not set',
    );
    expect(problem({ ...valid, ANALYTICS_WEBHOOK_URL: 'https://hooks.example.com/a' })).toContain(
      'ANALYTICS_WEBHOOK_URL is set without ANALYTICS_WEBHOOK_SECRET',
    );
    const bad = problem({
      ...valid,
      ANALYTICS_WEBHOOK_URL: 'https://hooks.example.com/a',
      ANALYTICS_WEBHOOK_SECRET: 'not-a-secret-value',
    });
    expect(bad).toContain('ANALYTICS_WEBHOOK_SECRET must be a Standard Webhooks secret');
    expect(bad).not.toContain('not-a-secret-value');
    expect(problem({ ...valid, ANALYTICS_REDIS_STREAM: 'bad key!' })).toContain(
      'ANALYTICS_REDIS_STREAM',
    );
    expect(problem({ ...valid, ANALYTICS_BUFFER_MAX: '5' })).toContain(
      'ANALYTICS_BUFFER_MAX must be a whole number, at least 100',
    );
  });
});
