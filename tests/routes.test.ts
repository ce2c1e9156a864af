import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as refreshGET, POST as refreshPOST } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { GET as logoutGET, POST as logoutPOST } from '@/app/logout/route';
import { stateCookieName } from '@/lib/server/login/state-cookie';
import { getScalekit } from '@/lib/server/scalekit';
import { openRefreshCookie, sessionFromCookie } from '@/lib/server/session/session';
import {
  appUrl,
  idpUrl,
  request,
  setCookies,
  setIdpFault,
  stateCookieOf,
  signInThroughRoutes,
  USERS,
} from './helpers/routes';

describe('GET /login', () => {
  it('redirects to hosted login with state, PKCE S256, nonce and offline_access', async () => {
    const response = await loginGET(request('/login?returnTo=/dashboard'));
    expect(response.status).toBe(307);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${idpUrl()}/oauth/authorize`);
    const q = location.searchParams;
    expect(q.get('redirect_uri')).toBe(`${appUrl()}/api/callback`);
    expect(q.get('scope')!.split(' ')).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{43}$/);

    const [name, cookie] = stateCookieOf(response);
    expect(name).toMatch(/^sk_oauth_state_[\w-]{16}$/);
    expect(cookie.attributes.httponly).toBe(true);
    expect(cookie.attributes.path).toBe('/api/callback');
    expect(cookie.attributes['max-age']).toBe('600');
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe('lax');
    // Sealed: neither the state nor the verifier is readable in the cookie.
    expect(cookie.value.split('.')).toHaveLength(5);
    expect(cookie.value).not.toContain(q.get('state')!);
  });

  it('passes only allowlisted, well-formed hints to the IdP', async () => {
    const response = await loginGET(
      request(
        '/login?login_hint=bob%40example.com&organization_id=org_123&provider=google&prompt=create' +
          '&redirect_uri=https%3A%2F%2Fevil.com&scope=admin&provider_extra=1&connection_id=bad%20id',
      ),
    );
    const q = new URL(response.headers.get('location')!).searchParams;
    expect(q.get('login_hint')).toBe('bob@example.com');
    expect(q.get('organization_id')).toBe('org_123');
    expect(q.get('provider')).toBe('google');
    expect(q.get('prompt')).toBe('create');
    expect(q.get('redirect_uri')).toBe(`${appUrl()}/api/callback`);
    expect(q.get('scope')).not.toContain('admin');
    expect(q.has('connection_id')).toBe(false);
    expect(q.getAll('provider')).toEqual(['google']);
    // Issue 11: unknown, non-protocol names are what Scalekit appends to the Initiate Login URL
    // (invitations, verification), so they are forwarded as opaque values
    // (tests/contract/login-entry.test.ts covers the protocol names that never are).
    expect(q.get('provider_extra')).toBe('1');
  });
});

describe('GET /api/callback', () => {
  it('signs in: sets three sealed session cookies and redirects to returnTo', async () => {
    const { callback, cookies } = await signInThroughRoutes(USERS.alice, '/dashboard?tab=team');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(`${appUrl()}/dashboard?tab=team`);
    expect(callback.headers.get('cache-control')).toContain('no-store');
    for (const name of ['sk_access_token', 'sk_id_token', 'sk_refresh_token']) {
      expect(cookies[name]!.value.split('.'), name).toHaveLength(5);
      expect(cookies[name]!.attributes.httponly, name).toBe(true);
    }
    expect(cookies.sk_refresh_token!.attributes.path).toBe('/api/refresh');
    expect(cookies.sk_access_token!.attributes.path).toBe('/');
    // The state cookie is spent.
    const spent = Object.entries(cookies).find(([name]) => name.startsWith('sk_oauth_state_'));
    expect(spent?.[1].attributes['max-age']).toBe('0');
  });

  it('the session cookie opens to the verified user, with org, roles and permissions', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const result = await sessionFromCookie(session.sk_access_token);
    expect(result.status).toBe('authenticated');
    if (result.status !== 'authenticated') return;
    expect(result.user.email).toBe('alice@example.com');
    expect(result.user.name).toMatch(/Alice/);
    expect(result.user.id).toMatch(/^usr_/);
    expect(result.user.organizationId).toMatch(/^org_/);
    expect(result.user.roles).toEqual(['admin']);
    expect(result.user.permissions.length).toBeGreaterThan(0);
  });

  it('a replayed callback (same code, same state cookie) creates no session', async () => {
    const first = await signInThroughRoutes(USERS.bob);
    expect(first.callback.status).toBe(303);
    const replay = await callbackGET(first.callbackRequest());
    expect(replay.headers.get('location')).toBe(`${appUrl()}/auth/error?code=code_exchange_failed`);
    expect(setCookies(replay).sk_access_token).toBeUndefined();
  });

  it('a callback without the state cookie is a readable error, not a loop into /login', async () => {
    const response = await callbackGET(request('/api/callback?code=abc&state=def'));
    expect(response.headers.get('location')).toBe(`${appUrl()}/auth/error?code=state_missing`);
    expect(setCookies(response).sk_access_token).toBeUndefined();
  });

  it('a forged state finds no attempt; a real attempt moved under its name is a mismatch', async () => {
    const login = await loginGET(request('/login'));
    const [name, cookie] = stateCookieOf(login);
    const forged = await callbackGET(
      request('/api/callback?code=abc&state=forged', { cookies: { [name]: cookie.value } }),
    );
    expect(forged.headers.get('location')).toBe(`${appUrl()}/auth/error?code=state_missing`);
    const moved = await callbackGET(
      request('/api/callback?code=abc&state=forged', {
        cookies: { [stateCookieName('forged', { secure: false })]: cookie.value },
      }),
    );
    expect(moved.headers.get('location')).toBe(`${appUrl()}/auth/error?code=state_mismatch`);
    // Either way the attempt named by the state is spent.
    expect(
      setCookies(moved)[stateCookieName('forged', { secure: false })]!.attributes['max-age'],
    ).toBe('0');
  });

  it('an error from the IdP maps to its own code', async () => {
    const response = await callbackGET(request('/api/callback?error=access_denied&state=x'));
    expect(response.headers.get('location')).toBe(`${appUrl()}/auth/error?code=access_denied`);
  });

  it('error pages never carry the code, state or tokens in their URL', async () => {
    const response = await callbackGET(
      request('/api/callback?code=secret-code-value&state=secret-state'),
    );
    expect(response.headers.get('location')).not.toMatch(/secret-code-value|secret-state/);
  });
});

describe('/api/refresh', () => {
  it('POST rotates both tokens and writes them back', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const response = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: session }),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.expiresAt).toBeGreaterThan(Date.now() / 1000);
    const cookies = setCookies(response);
    expect(cookies.sk_access_token!.value).not.toBe(session.sk_access_token);
    expect(cookies.sk_refresh_token!.value).not.toBe(session.sk_refresh_token);
    expect(cookies.sk_refresh_token!.attributes.path).toBe('/api/refresh');
    const renewed = await sessionFromCookie(cookies.sk_access_token!.value);
    expect(renewed.status === 'authenticated' && renewed.user.email).toBe('alice@example.com');
  });

  it('POST without a refresh cookie is 401 and clears the session', async () => {
    const response = await refreshPOST(request('/api/refresh', { method: 'POST' }));
    expect(response.status).toBe(401);
    expect(setCookies(response).sk_access_token!.attributes['max-age']).toBe('0');
  });

  it('POST from another site is refused and spends nothing', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const response = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        cookies: session,
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('GET rotates and sends the browser back to a safe returnTo only', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const response = await refreshGET(
      request('/api/refresh?returnTo=%2F%2Fevil.com', { cookies: session }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${appUrl()}/dashboard`);
    expect(setCookies(response).sk_access_token!.value.split('.')).toHaveLength(5);
  });

  it('GET with an unreadable refresh cookie ends on the error page with a reason, once', async () => {
    const response = await refreshGET(
      request('/api/refresh?returnTo=/dashboard', { cookies: { sk_refresh_token: 'garbage' } }),
    );
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/auth/error');
    expect(location.searchParams.get('code')).toBe('session_ended');
    expect(setCookies(response).sk_access_token!.attributes['max-age']).toBe('0');
  });

  it('a refresh token already spent elsewhere (reuse) ends the session cleanly: 401, cookies cleared', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    // An attacker (or a second, uncoordinated server) spends the same refresh token first.
    const stolen = await openRefreshCookie(session.sk_refresh_token);
    await getScalekit().refreshAccessToken(stolen!.rt);
    const response = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: session }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'session_ended',
      code: 'refresh_token_invalid',
    });
    expect(setCookies(response).sk_refresh_token!.attributes['max-age']).toBe('0');
  });

  it.each(['503', 'drop'] as const)(
    'an IdP outage (%s) during refresh is a 503 with Retry-After that keeps every cookie',
    async (fault) => {
      const { session } = await signInThroughRoutes(USERS.bob);
      await setIdpFault(fault);
      try {
        const response = await refreshPOST(
          request('/api/refresh', { method: 'POST', cookies: session }),
        );
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(response.headers.getSetCookie()).toEqual([]);
        const page = await refreshGET(
          request('/api/refresh?returnTo=/dashboard', { cookies: session }),
        );
        expect(page.headers.get('location')).toContain('/auth/error?code=idp_unavailable');
        expect(page.headers.getSetCookie()).toEqual([]);
      } finally {
        await setIdpFault('none');
      }
      // Back up: the same, untouched refresh token still works.
      const after = await refreshPOST(
        request('/api/refresh', { method: 'POST', cookies: session }),
      );
      expect(after.status).toBe(200);
    },
  );
});

describe('/logout', () => {
  it('POST clears every auth cookie and redirects to the IdP logout with id_token_hint', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const response = await logoutPOST(
      request('/logout', { method: 'POST', cookies: session, headers: { origin: appUrl() } }),
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${idpUrl()}/oidc/logout`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${appUrl()}/`);
    const hint = location.searchParams.get('id_token_hint')!;
    expect(decodeJwt(hint).email).toBe('alice@example.com');
    const cookies = setCookies(response);
    for (const name of ['sk_access_token', 'sk_id_token', 'sk_refresh_token']) {
      expect(cookies[name]!.attributes['max-age'], name).toBe('0');
    }
    expect(cookies.sk_refresh_token!.attributes.path).toBe('/api/refresh');
  });

  it.each([
    ['a cross-site GET', { 'sec-fetch-site': 'cross-site' }],
    ['a cross-site POST', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['a Next.js router prefetch', { 'next-router-prefetch': '1' }],
    ['a browser prefetch', { 'sec-purpose': 'prefetch' }],
  ])('%s signs nobody out', async (_label, headers) => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const handler = 'origin' in headers ? logoutPOST : logoutGET;
    const response = await handler(
      request('/logout', {
        method: handler === logoutPOST ? 'POST' : 'GET',
        cookies: session,
        headers,
      }),
    );
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('location')).toBe(`${appUrl()}/auth/error?code=cross_site_request`);
  });
});

describe('sessions', () => {
  it('a tampered access cookie is no session, not an error', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const parts = session.sk_access_token.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'BB' : 'AA');
    expect((await sessionFromCookie(parts.join('.'))).status).toBe('unauthenticated');
  });

  it('an id-token cookie in the access-token slot is no session', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    expect((await sessionFromCookie(session.sk_id_token)).status).toBe('unauthenticated');
  });
});
