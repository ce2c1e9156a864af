import { createRemoteJWKSet, jwtVerify } from 'jose';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { createAccessTokenClient, routeTokenSource } from '@/lib/client/access-token';
import { appUrl, idpUrl, request, signInThroughRoutes, USERS } from './helpers/routes';

type Body = { accessToken?: string; expiresAt?: number; expiresIn?: number; error?: string };

async function getToken(cookies: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await accessTokenGET(request('/api/access-token', { cookies, headers }));
  return { response, body: (await response.json()) as Body };
}

describe('GET /api/access-token', () => {
  it('hands this app’s pages the user’s access token, which verifies against the IdP’s JWKS', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const { response, body } = await getToken({ sk_access_token: session.sk_access_token });

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    // What any separate backend does with it (examples/api-server does exactly this).
    const { payload } = await jwtVerify(
      body.accessToken!,
      createRemoteJWKSet(new URL(`${idpUrl()}/keys`)),
      { algorithms: ['RS256'], issuer: idpUrl(), audience: 'skc_vitest_client' },
    );
    expect(payload.sub).toBe('usr_01HALICE0000000000000001');
    expect(payload.permissions).toContain('api:read');
    expect(body.expiresAt).toBe(payload.exp);
    expect(body.expiresIn).toBeGreaterThan(200);
    expect(body.expiresIn).toBeLessThanOrEqual(300);
  });

  it.each([
    ['another site', 'cross-site'],
    // Another port on localhost, or a sibling subdomain: same site, still not this app.
    ['a sibling origin', 'same-site'],
  ])('refuses a request from %s, with no token in the answer', async (_label, site) => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const { response, body } = await getToken(
      { sk_access_token: session.sk_access_token },
      { 'sec-fetch-site': site, origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    expect(body).toEqual({ error: 'cross_site_request' });
    expect(response.headers.get('cache-control')).toContain('no-store');
  });

  it('refuses a cross-origin request from an old browser without Sec-Fetch-Site (Origin check)', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const response = await accessTokenGET(
      new NextRequest(new URL('/api/access-token', appUrl()), {
        headers: {
          origin: 'https://evil.example',
          cookie: `sk_access_token=${encodeURIComponent(session.sk_access_token)}`,
        },
      }),
    );
    expect(response.status).toBe(403);
  });

  it('answers 401 without a session, and for a forged or tampered session cookie', async () => {
    expect((await getToken({})).response.status).toBe(401);
    expect((await getToken({ sk_access_token: 'not-a-jwe' })).body).toEqual({
      error: 'unauthenticated',
    });
    const { session } = await signInThroughRoutes(USERS.bob);
    const parts = session.sk_access_token.split('.');
    parts[3] = parts[3]!.slice(0, -4) + (parts[3]!.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const tampered = await getToken({ sk_access_token: parts.join('.') });
    expect(tampered.response.status).toBe(401);
    expect(tampered.body.accessToken).toBeUndefined();
  });

  it('the browser client against the real route: two parallel calls make one request', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    let routeCalls = 0;
    // The browser's fetch, played by the route handler itself with bob's cookie.
    const fetchImpl = async (path: string) => {
      routeCalls++;
      return accessTokenGET(
        request(path, { cookies: { sk_access_token: session.sk_access_token } }),
      );
    };
    const client = createAccessTokenClient({ source: routeTokenSource({ fetchImpl }) });
    const [a, b] = await Promise.all([client.getAccessToken(), client.getAccessToken()]);
    expect(a).toBe(b);
    expect(routeCalls).toBe(1);
    // And cached for the next caller.
    await client.getAccessToken();
    expect(routeCalls).toBe(1);
  });
});
