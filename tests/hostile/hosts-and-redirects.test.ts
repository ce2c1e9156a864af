import { afterEach, describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as refreshGET } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { resetConfigForTests } from '@/lib/config';
import { openLoginState } from '@/lib/login';
import { request, stateCookieOf } from '../helpers/routes';
import { expectNo5xx } from './helpers';

const originalAppUrl = process.env.APP_URL;

function useHosts(hosts: string, trustProxy = false) {
  delete process.env.APP_URL;
  process.env.ALLOWED_HOSTS = hosts;
  process.env.TRUST_PROXY_HEADERS = String(trustProxy);
  resetConfigForTests();
}

afterEach(() => {
  process.env.APP_URL = originalAppUrl;
  delete process.env.ALLOWED_HOSTS;
  delete process.env.TRUST_PROXY_HEADERS;
  resetConfigForTests();
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
