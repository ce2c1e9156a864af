import { afterEach, describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as refreshGET } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { openLoginState } from '@/lib/server/login/state-cookie';
import { request, stateCookieOf } from '../helpers/routes';
import { expectNo5xx } from './helpers';
import { resetConfig } from '@/lib/server/testing';

const originalAppUrl = process.env.APP_URL;
const originalNodeEnv = process.env.NODE_ENV;

function useHosts(hosts: string, trustProxy = false, nodeEnv = originalNodeEnv) {
  delete process.env.APP_URL;
  process.env.ALLOWED_HOSTS = hosts;
  process.env.TRUST_PROXY_HEADERS = String(trustProxy);
  // Only lib/server/config.ts reads it, when it parses again (resetConfig).
  (process.env as Record<string, string | undefined>).NODE_ENV = nodeEnv;
  resetConfig();
}

afterEach(() => {
  process.env.APP_URL = originalAppUrl;
  delete process.env.ALLOWED_HOSTS;
  delete process.env.TRUST_PROXY_HEADERS;
  (process.env as Record<string, string | undefined>).NODE_ENV = originalNodeEnv;
  resetConfig();
});

const routes = [
  ['GET /login', () => loginGET] as const,
  ['GET /api/callback', () => callbackGET] as const,
  ['GET /api/refresh', () => refreshGET] as const,
  ['POST /logout', () => logoutPOST] as const,
];

describe('hostile hosts', () => {
  const hostile = [
    'evil.com',
    'app.example.com.evil.com',
    'evilvercel.app',
    'a.b.vercel.app',
    'vercel.app',
    'app.example.com@evil.com',
    'app.example.com:443@evil.com',
    '',
  ];

  it.each(
    hostile.flatMap((host) =>
      routes.map(([name, route]) => [name, host || '(empty)', route] as const),
    ),
  )('%s for host %s → 400, no URL built on it', async (name, host, route) => {
    useHosts('app.example.com,*.vercel.app');
    const [method, path] = name.split(' ') as [string, string];
    const response = await route()(
      request(`http://app.example.com${path}`, {
        method,
        headers: { host: host === '(empty)' ? '' : host },
      }),
    );
    expectNo5xx(response);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('an allowed preview host gets a callback URL on that host, with https from a trusted proxy', async () => {
    useHosts('app.example.com,*.vercel.app', true);
    const response = await loginGET(
      request('http://internal:3000/login', {
        headers: {
          host: 'internal:3000',
          'x-forwarded-host': 'my-branch.vercel.app',
          'x-forwarded-proto': 'https',
        },
      }),
    );
    expect(response.status).toBe(307);
    const redirectUri = new URL(response.headers.get('location')!).searchParams.get('redirect_uri');
    expect(redirectUri).toBe('https://my-branch.vercel.app/api/callback');
    const [name, cookie] = stateCookieOf(response);
    expect(name).toMatch(/^__Secure-sk_oauth_state_/);
    expect(cookie.attributes.secure).toBe(true);
    expect((await openLoginState(cookie.value))?.ru).toBe(
      'https://my-branch.vercel.app/api/callback',
    );
  });

  it('X-Forwarded-Host is ignored unless TRUST_PROXY_HEADERS is on', async () => {
    useHosts('app.example.com');
    const response = await loginGET(
      request('http://app.example.com/login', {
        headers: { host: 'app.example.com', 'x-forwarded-host': 'evil.com' },
      }),
    );
    const redirectUri = new URL(response.headers.get('location')!).searchParams.get('redirect_uri');
    expect(redirectUri).toBe('http://app.example.com/api/callback');
  });

  it('with APP_URL set, the Host header is never used', async () => {
    const response = await loginGET(request('/login', { headers: { host: 'evil.com' } }));
    const redirectUri = new URL(response.headers.get('location')!).searchParams.get('redirect_uri');
    expect(redirectUri).toBe(`${originalAppUrl}/api/callback`);
  });
});

/**
 * Without TRUST_PROXY_HEADERS neither X-Forwarded-Host nor X-Forwarded-Proto may matter. Next
 * builds the request URL's scheme from X-Forwarded-Proto itself, so each request here carries the
 * header and the URL Next would have built from it.
 */
describe('forwarded headers without TRUST_PROXY_HEADERS', () => {
  async function callbackOf(url: string, headers: Record<string, string>) {
    const response = await loginGET(request(url, { headers }));
    expectNo5xx(response);
    expect(response.status).toBe(307);
    const [, cookie] = stateCookieOf(response);
    const location = new URL(response.headers.get('location')!);
    return {
      redirectUri: location.searchParams.get('redirect_uri'),
      secure: cookie.attributes.secure,
    };
  }

  const routeCases = [
    ['GET /login', () => loginGET],
    ['GET /api/callback', () => callbackGET],
    ['GET /api/refresh', () => refreshGET],
    ['POST /logout', () => logoutPOST],
  ] as const;

  it.each(['http', 'HTTP', 'http, https', 'ftp', 'javascript', ''])(
    'production: X-Forwarded-Proto %j cannot downgrade the callback URL or the cookies',
    async (proto) => {
      useHosts('app.example.com', false, 'production');
      const result = await callbackOf('http://app.example.com/login', {
        host: 'app.example.com',
        'x-forwarded-proto': proto,
      });
      expect(result).toEqual({ redirectUri: 'https://app.example.com/api/callback', secure: true });
    },
  );

  it('production: a loopback host stays on http whatever X-Forwarded-Proto says', async () => {
    useHosts('localhost:3000,127.0.0.1:3000', false, 'production');
    for (const host of ['localhost:3000', '127.0.0.1:3000']) {
      const result = await callbackOf(`https://${host}/login`, {
        host,
        'x-forwarded-proto': 'https',
      });
      expect(result.redirectUri).toBe(`http://${host}/api/callback`);
    }
  });

  it('development: X-Forwarded-Proto https does not upgrade the http dev server', async () => {
    useHosts('app.example.com');
    const result = await callbackOf('https://app.example.com/login', {
      host: 'app.example.com',
      'x-forwarded-proto': 'https',
    });
    expect(result).toEqual({
      redirectUri: 'http://app.example.com/api/callback',
      secure: undefined,
    });
  });

  it.each(routeCases)(
    '%s: X-Forwarded-Host naming another allowed host is ignored, not used',
    async (name, route) => {
      useHosts('app.example.com,*.vercel.app', false, 'production');
      const [method, path] = name.split(' ') as [string, string];
      const response = await route()(
        request(`http://app.example.com${path}`, {
          method,
          headers: {
            host: 'app.example.com',
            'x-forwarded-host': 'attacker.vercel.app',
            'x-forwarded-proto': 'http',
            origin: 'https://app.example.com',
          },
        }),
      );
      expectNo5xx(response);
      const location = response.headers.get('location');
      expect(location).not.toBeNull();
      expect(location).not.toContain('attacker');
      const url = new URL(location!);
      // Either a page of this app, or the IdP with a return URL on it: https on the real host.
      const back =
        url.host === 'app.example.com'
          ? url.origin
          : (url.searchParams.get('redirect_uri') ??
            url.searchParams.get('post_logout_redirect_uri'));
      expect(back, location!).toMatch(/^https:\/\/app\.example\.com(\/|$)/);
    },
  );

  it('with trust on, the proxy decides both (the documented proxy set-up still works)', async () => {
    useHosts('app.example.com', true, 'production');
    const result = await callbackOf('http://internal:3000/login', {
      host: 'internal:3000',
      'x-forwarded-host': 'app.example.com',
      'x-forwarded-proto': 'https',
    });
    expect(result).toEqual({ redirectUri: 'https://app.example.com/api/callback', secure: true });
  });
});

describe('hostile returnTo through the routes', () => {
  const payloads = [
    '//evil.com',
    '/\\evil.com',
    'https://evil.com',
    'https:evil.com',
    'javascript:alert(1)',
    '/%2F%2Fevil.com',
    '/%5Cevil.com',
    '/\t/evil.com',
    '//user@evil.com',
    '%2F%2Fevil.com',
  ];

  it.each(payloads)('/login?returnTo=%s seals a same-origin path', async (payload) => {
    const response = await loginGET(request(`/login?returnTo=${encodeURIComponent(payload)}`));
    expectNo5xx(response);
    const [, cookie] = stateCookieOf(response);
    const returnTo = (await openLoginState(cookie.value))!.returnTo;
    expect(new URL(returnTo, originalAppUrl).origin).toBe(originalAppUrl);
  });

  it.each(payloads)('/api/refresh?returnTo=%s never redirects off-site', async (payload) => {
    const response = await refreshGET(
      request(`/api/refresh?returnTo=${encodeURIComponent(payload)}`),
    );
    expectNo5xx(response);
    expect(new URL(response.headers.get('location')!).origin).toBe(originalAppUrl);
  });
});
