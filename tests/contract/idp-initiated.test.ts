import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as loginGET } from '@/app/login/route';
import { openLoginState } from '@/lib/server/login/state-cookie';
import { getScalekit } from '@/lib/server/scalekit';
import type { LocalIdp } from '../../local-idp/server.mjs';
import { loginWithIdp } from '../helpers/idp-login';
import { pointAppAt, startOwnIdp } from '../helpers/own-idp';
import { appUrl, request, setCookies, stateCookieOf, USERS } from '../helpers/routes';

// Its own IdP: the tests sign hostile tokens with that IdP's real private key (read from its data
// dir), which the shared IdP does not hand out.
let idp: LocalIdp;
let dataDir: string;

const ORG = 'org_01HACME00000000000000001';
const CONN = 'conn_01HACMESSO00000000000001';

let close: () => Promise<void>;

const pointAt = (url: string) => pointAppAt({ ...idp, url });

beforeAll(async () => {
  ({ idp, dataDir, close } = await startOwnIdp('idp-initiated'));
  pointAt(idp.url);
});

afterAll(async () => {
  await close?.();
});

const now = () => Math.floor(Date.now() / 1000);
const location = (response: Response) => new URL(response.headers.get('location')!);

/** Signs any header/claims with the IdP's real current key: valid signature, chosen shape. */
async function signWithIdpKey(claims: JWTPayload, alg = 'RS256') {
  const { keys } = JSON.parse(readFileSync(path.join(dataDir, 'signing-keys.json'), 'utf8'));
  const jwk = keys[0];
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
    .sign(await importJWK(jwk, 'RS256'));
}

const documentedClaims = (over: Record<string, unknown> = {}): JWTPayload => ({
  organization_id: ORG,
  connection_id: CONN,
  login_hint: 'alice@example.com',
  iss: idp.url,
  iat: now(),
  nbf: now(),
  exp: now() + 300,
  ...over,
});

/** The browser entry of the local IdP, as a person would open it: typed into the address bar. */
async function browserEntry(query = '') {
  const response = await fetch(`${idp.url}/__control/idp-initiated-login${query}`, {
    redirect: 'manual',
    headers: { 'sec-fetch-site': 'none' },
  });
  return response;
}

describe('IdP-initiated SSO: the valid hand-off', () => {
  it('the local IdP sends the browser to the Initiate Login URL with a token', async () => {
    const response = await browserEntry('?relay_state=%2Fsettings%3Ftab%3D2');
    expect(response.status).toBe(302);
    const target = location(response);
    expect(target.origin + target.pathname).toBe(`${appUrl()}/login`);
    expect([...target.searchParams.keys()]).toEqual(['idp_initiated_login']);
  });

  it('refuses to mint for another site (cross-site navigation or Origin)', async () => {
    const crossSite = await fetch(`${idp.url}/__control/idp-initiated-login`, {
      redirect: 'manual',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await fetch(`${idp.url}/__control/idp-initiated-login`, {
      redirect: 'manual',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
  });

  it('/login starts an SP-initiated login with the token’s connection, org and hint; relay_state becomes returnTo', async () => {
    const token = await idp.mintIdpInitiatedLoginToken({ relay_state: '/settings?tab=2' });
    const login = await loginGET(request(`/login?idp_initiated_login=${token}`));
    expect(login.status).toBe(307);
    const authorize = location(login);
    expect(authorize.origin).toBe(idp.url);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('connection_id')).toBe(CONN);
    expect(authorize.searchParams.get('organization_id')).toBe(ORG);
    expect(authorize.searchParams.get('login_hint')).toBe('alice@example.com');
    // relay_state is never the OAuth state, and the token itself never goes to the IdP.
    expect(authorize.searchParams.get('state')).not.toBe('/settings?tab=2');
    expect(authorize.href).not.toContain(token.split('.')[1]!);
    const [, stateCookie] = stateCookieOf(login);
    const sealed = await openLoginState(stateCookie.value);
    expect(sealed?.returnTo).toBe('/settings?tab=2');
  });

  it('completes: hosted login → callback → session, landing on relay_state', async () => {
    const token = await idp.mintIdpInitiatedLoginToken({ relay_state: '/settings?tab=2' });
    const login = await loginGET(request(`/login?idp_initiated_login=${token}`));
    const [stateName, stateCookie] = stateCookieOf(login);
    const hosted = await loginWithIdp(location(login).href, { ...USERS.alice, stopAt: appUrl() });
    const callback = await callbackGET(
      request(hosted.callbackUrl.pathname + hosted.callbackUrl.search, {
        cookies: { [stateName]: stateCookie.value },
      }),
    );
    expect(location(callback).pathname + location(callback).search).toBe('/settings?tab=2');
    expect(setCookies(callback).sk_access_token?.value).toBeTruthy();
  });

  it('unsigned query next to the token is ignored: no prompt, redirect_uri or returnTo from it', async () => {
    const token = await idp.mintIdpInitiatedLoginToken({});
    const login = await loginGET(
      request(
        `/login?idp_initiated_login=${token}&prompt=none&returnTo=%2Fadmin&redirect_uri=https%3A%2F%2Fevil.example&invitation_id=inv_1&organization_id=org_EVIL`,
      ),
    );
    const authorize = location(login);
    expect(authorize.searchParams.get('prompt')).toBeNull();
    expect(authorize.searchParams.getAll('redirect_uri')).toEqual([`${appUrl()}/api/callback`]);
    expect(authorize.searchParams.getAll('organization_id')).toEqual([ORG]);
    expect(authorize.searchParams.get('invitation_id')).toBeNull();
    expect((await openLoginState(stateCookieOf(login)[1].value))?.returnTo).toBe('/dashboard');
  });

  it.each([
    ['an absolute URL', 'https://evil.example/steal'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash trick', '/\\evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['a dot segment (issue 17)', '/.//evil.example'],
    ['an encoded dot segment (issue 17)', '/%2e%2e//evil.example'],
  ])('relay_state pointing off-site (%s) becomes the default returnTo', async (_, relay) => {
    const token = await idp.mintIdpInitiatedLoginToken({ relay_state: relay });
    const login = await loginGET(request(`/login?idp_initiated_login=${token}`));
    expect(login.status).toBe(307);
    expect((await openLoginState(stateCookieOf(login)[1].value))?.returnTo).toBe('/dashboard');
    expect(location(login).href).not.toContain('evil');
  });

  it('a login_hint that is not an email address is left out, the login still starts', async () => {
    const token = await signWithIdpKey(documentedClaims({ login_hint: 'DOMAIN\\alice' }));
    const login = await loginGET(request(`/login?idp_initiated_login=${token}`));
    expect(login.status).toBe(307);
    expect(location(login).searchParams.get('login_hint')).toBeNull();
    expect(location(login).searchParams.get('connection_id')).toBe(CONN);
  });

  it('on /api/callback (where the SDK README reads it): verified, then /login with the verified hints only', async () => {
    const token = await idp.mintIdpInitiatedLoginToken({ relay_state: '/settings' });
    const response = await callbackGET(request(`/api/callback?idp_initiated_login=${token}`));
    expect(response.status).toBe(303);
    const next = location(response);
    expect(next.origin).toBe(appUrl());
    expect(next.pathname).toBe('/login');
    expect(Object.fromEntries(next.searchParams)).toEqual({
      returnTo: '/settings',
      organization_id: ORG,
      connection_id: CONN,
      login_hint: 'alice@example.com',
    });
  });
});

/** A real session token of this environment, from a real code exchange. */
async function realTokens() {
  const login = await loginGET(request('/login'));
  const sealed = await openLoginState(stateCookieOf(login)[1].value);
  const hosted = await loginWithIdp(location(login).href, { ...USERS.alice, stopAt: appUrl() });
  return getScalekit().authenticateWithCode(hosted.code!, sealed!.ru, { codeVerifier: sealed!.cv });
}

describe('IdP-initiated SSO: hostile tokens get the readable error page, never the IdP', () => {
  const otherKey = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return privateKey;
  };
  const unsigned = (claims: JWTPayload) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  const cases: [string, () => Promise<string>][] = [
    [
      'forged: signed with another key under the IdP’s kid',
      async () => {
        const kid = idp.currentKid();
        return new SignJWT(documentedClaims())
          .setProtectedHeader({ alg: 'RS256', kid })
          .sign(otherKey());
      },
    ],
    [
      'forged: signed with another key, unknown kid',
      async () =>
        new SignJWT(documentedClaims())
          .setProtectedHeader({ alg: 'RS256', kid: 'snk_attacker' })
          .sign(otherKey()),
    ],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await idp.mintIdpInitiatedLoginToken({})).split('.');
        const p = Buffer.from(JSON.stringify(documentedClaims({ organization_id: 'org_EVIL' })));
        return `${h}.${p.toString('base64url')}.${s}`;
      },
    ],
    [
      'expired',
      () =>
        signWithIdpKey(documentedClaims({ iat: now() - 400, nbf: now() - 400, exp: now() - 100 })),
    ],
    [
      'not yet valid (nbf in the future)',
      () => signWithIdpKey(documentedClaims({ nbf: now() + 120 })),
    ],
    ['issued in the future', () => signWithIdpKey(documentedClaims({ iat: now() + 120 }))],
    ['a day-long lifetime', () => signWithIdpKey(documentedClaims({ exp: now() + 86_400 }))],
    ['no exp', () => signWithIdpKey(documentedClaims({ exp: undefined }))],
    [
      'another environment’s issuer',
      () => signWithIdpKey(documentedClaims({ iss: 'https://other.scalekit.dev' })),
    ],
    ['alg none', async () => unsigned(documentedClaims())],
    [
      'HS256 keyed with the client secret',
      async () =>
        new SignJWT(documentedClaims())
          .setProtectedHeader({ alg: 'HS256', kid: idp.currentKid() })
          .sign(new TextEncoder().encode(idp.clientSecret)),
    ],
    ['malformed: not a JWT', async () => 'not-a-jwt'],
    ['malformed: three junk segments', async () => 'aaa.bbb.ccc'],
    ['malformed: empty', async () => ''],
    ['malformed: 10 KB', async () => 'a'.repeat(10_000)],
    [
      'organization_id a number',
      () => signWithIdpKey(documentedClaims({ organization_id: 12345 })),
    ],
    ['connection_id an array', () => signWithIdpKey(documentedClaims({ connection_id: [CONN] }))],
    ['login_hint an object', () => signWithIdpKey(documentedClaims({ login_hint: { a: 1 } }))],
    ['relay_state a number', () => signWithIdpKey(documentedClaims({ relay_state: 42 }))],
    ['exp a string', () => signWithIdpKey(documentedClaims({ exp: String(now() + 300) }))],
    ['no connection_id', () => signWithIdpKey(documentedClaims({ connection_id: undefined }))],
    [
      'organization_id smuggling a parameter',
      () =>
        signWithIdpKey(
          documentedClaims({ organization_id: 'org_1&redirect_uri=https://evil.example' }),
        ),
    ],
    ['a real access token of this environment', async () => (await realTokens()).accessToken],
    ['a real ID token of this environment', async () => (await realTokens()).idToken],
  ];

  const leaks = [ORG, CONN, 'alice%40example.com', 'alice@example.com', 'evil', 'org_EVIL'];

  it.each(cases)(
    '%s → /auth/error?code=idp_initiated_login_invalid from /login',
    async (_, make) => {
      const token = await make();
      const response = await loginGET(
        request(`/login?idp_initiated_login=${encodeURIComponent(token)}`),
      );
      expect(response.status).toBe(303);
      const target = location(response);
      expect(target.origin).toBe(appUrl());
      expect(target.pathname + target.search).toBe('/auth/error?code=idp_initiated_login_invalid');
      for (const value of leaks) expect(target.href).not.toContain(value);
      expect(Object.keys(setCookies(response)).filter((n) => n.startsWith('sk_'))).toEqual([]);
    },
  );

  it.each(cases)('%s → the same page from /api/callback', async (_, make) => {
    const token = await make();
    const response = await callbackGET(
      request(`/api/callback?idp_initiated_login=${encodeURIComponent(token)}`),
    );
    expect(response.status).toBe(303);
    expect(location(response).pathname + location(response).search).toBe(
      '/auth/error?code=idp_initiated_login_invalid',
    );
  });

  it('the keys cannot be fetched (IdP down) → "unavailable", not a 5xx, not "invalid"', async () => {
    const token = await idp.mintIdpInitiatedLoginToken({});
    pointAt('http://localhost:9');
    try {
      const response = await callbackGET(request(`/api/callback?idp_initiated_login=${token}`));
      expect(response.status).toBe(303);
      expect(location(response).search).toBe('?code=idp_unavailable');
    } finally {
      pointAt(idp.url);
    }
  });
});
