// The local IdP against the documented Scalekit contract (../shared/reference/scalekit-contract.md,
// sections 2-4): raw token responses, every variant switch, organization choice, cancel, silent
// checks and the control endpoints' refusal of browsers from other sites. The real SDK is used
// wherever the app would use it.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';

import { ScalekitClient } from '@scalekit-sdk/node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalIdp, type LocalIdp, type LocalIdpOptions } from '../local-idp/server.mjs';
import { CookieJar, IdpLoginError, loginWithIdp, visitIdp } from './helpers/idp-login';
import { USERS } from './helpers/users';

const APP_URL = 'http://localhost:3997';
const REDIRECT_URI = `${APP_URL}/api/callback`;
const ALL_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const ACME = 'org_01HACME00000000000000001';
const GLOBEX = 'org_01HGLOBEX000000000000001';

const random = () => randomBytes(16).toString('base64url');
const halfHash = (value: string) =>
  createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');

const started: { idp: LocalIdp; dir: string }[] = [];

async function start(options: LocalIdpOptions = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'local-idp-contract-'));
  const idp = await startLocalIdp({
    port: 0,
    dataDir: dir,
    appUrl: APP_URL,
    persist: false,
    log: false,
    ...options,
  });
  started.push({ idp, dir });
  const sdk = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret, { timeoutMs: 5_000 });
  return { idp, sdk };
}

afterAll(async () => {
  for (const { idp, dir } of started) {
    await idp.close();
    await rm(dir, { recursive: true, force: true });
  }
});

type AuthorizeOptions = Parameters<ScalekitClient['getAuthorizationUrl']>[1];

function authorizeUrl(sdk: ScalekitClient, extra: AuthorizeOptions = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = random();
  const nonce = random();
  const url = sdk.getAuthorizationUrl(REDIRECT_URI, {
    scopes: ALL_SCOPES,
    state,
    nonce,
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    codeChallengeMethod: 'S256',
    ...extra,
  });
  return { url, state, nonce, verifier };
}

/** Sign-in through the hosted page, then the SDK's code exchange, as the app's callback does it. */
async function signIn(
  sdk: ScalekitClient,
  user: { email: string; password: string },
  {
    extra,
    jar,
    organizationId,
  }: { extra?: AuthorizeOptions; jar?: CookieJar; organizationId?: string } = {},
) {
  const start = authorizeUrl(sdk, extra);
  const login = await loginWithIdp(start.url, { ...user, jar, organizationId });
  expect(login.state).toBe(start.state);
  const auth = await sdk.authenticateWithCode(login.code!, REDIRECT_URI, {
    codeVerifier: start.verifier,
  });
  return { ...start, login, auth };
}

async function tokenRequest(idp: LocalIdp, fields: Record<string, string>) {
  const res = await fetch(`${idp.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...fields,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Raw code exchange, to see the token endpoint's fields the SDK reshapes. */
async function rawSignIn(idp: LocalIdp, sdk: ScalekitClient, extra: AuthorizeOptions = {}) {
  const start = authorizeUrl(sdk, extra);
  const login = await loginWithIdp(start.url, USERS.alice);
  const res = await tokenRequest(idp, {
    grant_type: 'authorization_code',
    code: login.code!,
    redirect_uri: REDIRECT_URI,
    code_verifier: start.verifier,
  });
  return { ...res, code: login.code! };
}

describe('default (Full Stack Auth) token endpoint', () => {
  let idp: LocalIdp;
  let sdk: ScalekitClient;
  beforeAll(async () => ({ idp, sdk } = await start()));

  it('answers the code grant with the documented fields, and a refresh token only for offline_access', async () => {
    const withOffline = await rawSignIn(idp, sdk);
    expect(withOffline.status).toBe(200);
    expect(Object.keys(withOffline.body).sort()).toEqual(
      ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type'].sort(),
    );
    expect(withOffline.body.expires_in).toBe(300);

    const without = await rawSignIn(idp, sdk, { scopes: ['openid', 'profile', 'email'] });
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty('refresh_token');
    expect(without.body.id_token).toEqual(expect.any(String));
    // The same through the SDK: no refresh token handed to the app.
    const viaSdk = await signIn(sdk, USERS.bob, {
      extra: { scopes: ['openid', 'profile', 'email'] },
    });
    expect(viaSdk.auth.refreshToken).toBeUndefined();
  });

  it('refresh: new access, refresh and ID token; the old refresh token is dead and its reuse ends the family', async () => {
    const first = await rawSignIn(idp, sdk);
    const firstId = decodeJwt(String(first.body.id_token));
    const refreshed = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    const { access_token, refresh_token, id_token } = refreshed.body as Record<string, string>;
    expect(refresh_token).not.toBe(first.body.refresh_token);
    expect(access_token).not.toBe(first.body.access_token);

    const idClaims = decodeJwt(id_token!);
    expect(idClaims).toMatchObject({
      aud: [idp.clientId],
      azp: idp.clientId,
      sub: firstId.sub,
      sid: firstId.sid,
      oid: firstId.oid,
      amr: firstId.amr,
      at_hash: halfHash(access_token!),
    });
    expect(idClaims).not.toHaveProperty('c_hash');
    expect(idClaims).not.toHaveProperty('nonce');

    // Reuse of the rotated-out token: refused as invalid_grant, HTTP 400, and the successor dies.
    expect(
      await tokenRequest(idp, {
        grant_type: 'refresh_token',
        refresh_token: String(first.body.refresh_token),
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await expect(sdk.refreshAccessToken(refresh_token!)).rejects.toThrow(/status code 400/);
  });

  it('serves the seeded avatars it names in `picture`, and nothing else under /avatars', async () => {
    const { auth } = await signIn(sdk, USERS.alice);
    const picture = String(decodeJwt(auth.idToken).picture);
    expect(picture).toBe(`${idp.url}/avatars/usr_01HALICE0000000000000001.svg`);
    const res = await fetch(picture);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toMatch(/^<svg[\s\S]*>AA<\/text>/);
    expect((await fetch(`${idp.url}/avatars/usr_nobody.svg`)).status).toBe(404);
    // A user without a picture gets no picture claim.
    const bob = await signIn(sdk, USERS.bob);
    expect(decodeJwt(bob.auth.idToken)).not.toHaveProperty('picture');
  });

  it('prompt=none without an IdP session sends login_required (with state) to the callback', async () => {
    const { url, state } = authorizeUrl(sdk, { prompt: 'none' });
    const visit = await visitIdp(url);
    expect(visit.outcome).toBe('redirected');
    expect(`${visit.url.origin}${visit.url.pathname}`).toBe(REDIRECT_URI);
    expect(visit.url.searchParams.get('error')).toBe('login_required');
    expect(visit.url.searchParams.get('state')).toBe(state);
    expect(visit.url.searchParams.has('code')).toBe(false);
  });

  it('Cancel on the hosted login page returns access_denied, a description and the state', async () => {
    const { url, state } = authorizeUrl(sdk);
    const visit = await visitIdp(url, { cancel: true });
    expect(visit.outcome).toBe('redirected');
    expect(`${visit.url.origin}${visit.url.pathname}`).toBe(REDIRECT_URI);
    expect(visit.url.searchParams.get('error')).toBe('access_denied');
    expect(visit.url.searchParams.get('error_description')).toBe('The user cancelled the sign-in.');
    expect(visit.url.searchParams.get('state')).toBe(state);
    expect(visit.url.searchParams.has('code')).toBe(false);
  });

  it('logout redirects only to an allow-listed post_logout_redirect_uri and appends state', async () => {
    const jar = new CookieJar();
    const { auth } = await signIn(sdk, USERS.alice, { jar });
    const hostile = await visitIdp(
      sdk.getLogoutUrl({
        idTokenHint: auth.idToken,
        postLogoutRedirectUri: 'https://evil.example/',
        state: 'x',
      }),
      { jar },
    ).catch((e: unknown) => e);
    expect(hostile).toBeInstanceOf(IdpLoginError);
    expect((hostile as IdpLoginError).status).toBe(400);
    expect((hostile as IdpLoginError).html).toContain('post_logout_redirect_uri not registered');

    const state = random();
    const ok = await visitIdp(
      sdk.getLogoutUrl({ idTokenHint: auth.idToken, postLogoutRedirectUri: `${APP_URL}/`, state }),
      { jar },
    );
    expect(ok.outcome).toBe('redirected');
    expect(ok.url.href).toBe(`${APP_URL}/?state=${state}`);
  });
});

describe('a user in several organizations', () => {
  let idp: LocalIdp;
  let sdk: ScalekitClient;
  beforeAll(async () => ({ idp, sdk } = await start()));

  it('chooses the organization on the hosted page; tokens carry it and its roles, across refreshes', async () => {
    // Without organization_id, Erin is asked; the SDK alone (no choice) cannot get past that.
    await expect(loginWithIdp(authorizeUrl(sdk).url, USERS.erin)).rejects.toThrow(
      /choose an organization/,
    );

    const { auth, login } = await signIn(sdk, USERS.erin, { organizationId: GLOBEX });
    expect(login.orgPage?.html).toContain('Acme Inc.');
    expect(login.orgPage?.html).toContain('Globex Corporation');
    const claims = await sdk.validateToken<Record<string, unknown>>(auth.accessToken);
    expect(claims).toMatchObject({
      sub: 'usr_01HERIN00000000000000005',
      oid: GLOBEX,
      roles: ['admin'],
      permissions: ['org:read', 'org:write', 'members:invite', 'api:read'],
    });
    expect(decodeJwt(auth.idToken)).toMatchObject({
      oid: GLOBEX,
      amr: ['conn_01HGLOBEXGOOGLE00000001'],
    });

    const refreshed = await sdk.refreshAccessToken(auth.refreshToken);
    expect(await sdk.validateToken<Record<string, unknown>>(refreshed.accessToken)).toMatchObject({
      oid: GLOBEX,
      roles: ['admin'],
    });
    const again = await sdk.refreshAccessToken(refreshed.refreshToken);
    expect(decodeJwt(again.accessToken)).toMatchObject({ oid: GLOBEX, roles: ['admin'] });
  });

  it('organization_id selects directly; prompt=select_account shows the switcher even with an IdP session', async () => {
    const jar = new CookieJar();
    const direct = await signIn(sdk, USERS.erin, { jar, extra: { organizationId: ACME } });
    expect(direct.login.orgPage).toBeUndefined();
    expect(decodeJwt(direct.auth.accessToken)).toMatchObject({ oid: ACME, roles: ['member'] });

    // Same browser, signed in at the IdP: no password, straight to the switcher.
    const switched = await signIn(sdk, USERS.erin, {
      jar,
      organizationId: GLOBEX,
      extra: { prompt: 'select_account' },
    });
    expect(switched.login.loginFormShown).toBe(false);
    expect(switched.login.orgPage).toBeDefined();
    expect(decodeJwt(switched.auth.accessToken)).toMatchObject({ oid: GLOBEX, roles: ['admin'] });

    // A single-organization user is never asked.
    const alice = await signIn(sdk, USERS.alice, { extra: { prompt: 'select_account' } });
    expect(alice.login.orgPage).toBeUndefined();
    expect(decodeJwt(alice.auth.accessToken)).toMatchObject({ oid: ACME });
  });

  it('refuses an organization the user is not in, and Cancel on the switcher returns access_denied', async () => {
    const { url, state } = authorizeUrl(sdk);
    const jar = new CookieJar();
    const chooser = await loginWithIdp(url, { ...USERS.erin, jar }).catch(
      (e: unknown) => e as IdpLoginError,
    );
    expect(chooser).toBeInstanceOf(IdpLoginError);
    // Submit, by hand, an organization Erin does not belong to.
    const action = new URL(/action="([^"]+)"/.exec((chooser as IdpLoginError).html)![1]!, idp.url);
    const res = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: jar.header(action) ?? '',
      },
      body: new URLSearchParams({ step: 'organization', organization_id: 'org_someone_else' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Choose one of your organizations.');

    // The same interaction, still at the switcher: Cancel.
    const cancel = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: jar.header(action) ?? '',
      },
      body: new URLSearchParams({ step: 'organization', action: 'cancel' }),
    });
    jar.store(action, cancel.headers.getSetCookie());
    const cancelled = await visitIdp(new URL(cancel.headers.get('location')!, idp.url).href, {
      jar,
    });
    expect(cancelled.url.searchParams.get('error')).toBe('access_denied');
    expect(cancelled.url.searchParams.get('state')).toBe(state);
  });
});

describe('variant switches', () => {
  it('nonce=echo and audience=string play the other documented shapes', async () => {
    const { idp, sdk } = await start({ nonce: 'echo', audience: 'string' });
    expect(idp.variant).toMatchObject({ nonce: 'echo', audience: 'string', product: 'fsa' });
    const { auth, nonce } = await signIn(sdk, USERS.alice);
    expect(decodeJwt(auth.idToken)).toMatchObject({ nonce, aud: idp.clientId, azp: idp.clientId });
    expect(decodeJwt(auth.accessToken).aud).toBe(idp.clientId);
    expect(await sdk.validateAccessToken(auth.accessToken)).toBe(true);
  });

  it('a custom issuer (custom auth domain) differs from where the IdP is served', async () => {
    const issuer = 'https://auth.example.test';
    const { idp, sdk } = await start({ issuer: `${issuer}/` });
    expect(idp.issuer).toBe(issuer);
    expect(idp.url).toMatch(/^http:\/\/localhost:\d+$/);
    const discovery = (await (
      await fetch(`${idp.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer,
      jwks_uri: `${idp.url}/keys`,
      token_endpoint: `${idp.url}/oauth/token`,
      end_session_endpoint: `${idp.url}/oidc/logout`,
    });

    const jar = new CookieJar();
    const { auth } = await signIn(sdk, USERS.alice, { jar });
    expect(decodeJwt(auth.idToken).iss).toBe(issuer);
    await expect(
      sdk.validateToken(auth.accessToken, { issuer, audience: [idp.clientId] }),
    ).resolves.toMatchObject({ iss: issuer });
    await expect(sdk.validateToken(auth.accessToken, { issuer: idp.url })).rejects.toThrow(/iss/);
    const refreshed = await sdk.refreshAccessToken(auth.refreshToken);
    expect(decodeJwt(refreshed.accessToken).iss).toBe(issuer);

    const state = random();
    const logout = await visitIdp(
      sdk.getLogoutUrl({ idTokenHint: auth.idToken, postLogoutRedirectUri: `${APP_URL}/`, state }),
      { jar },
    );
    expect(logout.url.href).toBe(`${APP_URL}/?state=${state}`);
  });

  it('product=modular: Modular SSO shapes, conn_… subjects, and no refresh token even with offline_access', async () => {
    const { idp, sdk } = await start({ product: 'modular' });
    const { auth } = await signIn(sdk, USERS.alice);
    const subject = 'conn_01HACMEOKTA0000000000001;alice@example.com';
    expect(auth.refreshToken).toBeUndefined();
    expect(auth.user.id).toBe(subject);

    const claims = await sdk.validateToken<Record<string, unknown>>(auth.accessToken);
    expect(Object.keys(claims).sort()).toEqual(
      ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub'].sort(),
    );
    expect(claims).toMatchObject({
      sub: subject,
      aud: [idp.clientId],
      jti: expect.stringMatching(/^tkn_/),
    });

    const id = decodeJwt(auth.idToken);
    expect(id).toMatchObject({ sub: subject, oid: ACME, amr: ['conn_01HACMEOKTA0000000000001'] });
    expect(id).not.toHaveProperty('sid');
    expect(id).not.toHaveProperty('client_id');
    expect(Number(id.exp) - Number(id.iat)).toBe(3 * 24 * 60 * 60);

    const raw = await rawSignIn(idp, sdk);
    expect(raw.body).not.toHaveProperty('refresh_token');
  });

  it('accessTokenAudience puts an API audience in access tokens only', async () => {
    const { idp, sdk } = await start({ accessTokenAudience: 'https://api.example.test' });
    const { auth } = await signIn(sdk, USERS.bob);
    expect(decodeJwt(auth.accessToken).aud).toEqual(['https://api.example.test']);
    expect(decodeJwt(auth.idToken).aud).toEqual([idp.clientId]);
    const res = await fetch(`${idp.url}/userinfo`, {
      headers: { authorization: `Bearer ${auth.accessToken}` },
    });
    expect(res.status).toBe(200);
  });

  it('reads the same switches from the environment, and names a bad value', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        LOCAL_IDP_NONCE: 'echo',
        LOCAL_IDP_AUD: 'string',
        LOCAL_IDP_PRODUCT: 'modular',
        LOCAL_IDP_ISSUER: 'https://login.example.test',
        LOCAL_IDP_ACCESS_TOKEN_AUD: 'https://api.example.test',
      });
      const { idp } = await start();
      expect(idp.variant).toEqual({
        nonce: 'echo',
        audience: 'string',
        product: 'modular',
        accessTokenAudience: 'https://api.example.test',
      });
      expect(idp.issuer).toBe('https://login.example.test');

      process.env.LOCAL_IDP_AUD = 'list';
      await expect(start()).rejects.toThrow(
        'LOCAL_IDP_AUD must be one of array, string, got "list"',
      );
      process.env.LOCAL_IDP_AUD = 'array';
      process.env.LOCAL_IDP_ISSUER = 'login.example.test';
      await expect(start()).rejects.toThrow(/LOCAL_IDP_ISSUER must be an absolute http\(s\) URL/);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe('network exposure', () => {
  let idp: LocalIdp;
  beforeAll(async () => ({ idp } = await start()));

  /** Raw request, so Host / Origin / Sec-Fetch-Site are exactly what a browser could send. */
  function control(method: string, headers: Record<string, string>, pathname = 'stats') {
    return new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: idp.port, method, path: `/__control/${pathname}`, headers },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('listens on loopback only by default', async () => {
    expect(idp.addresses[0]).toBe('127.0.0.1');
    expect(idp.addresses.every((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((n) => n && n.family === 'IPv4' && !n.internal);
    if (external) {
      const reached = await fetch(`http://${external.address}:${idp.port}/keys`).then(
        () => true,
        () => false,
      );
      expect(reached).toBe(false);
    }
  });

  it('control endpoints refuse other origins, cross-site and same-site fetches, and foreign Host names', async () => {
    const own = `localhost:${idp.port}`;
    expect(await control('GET', { host: own })).toBe(200);
    expect(
      await control('GET', { host: own, origin: `http://${own}`, 'sec-fetch-site': 'same-origin' }),
    ).toBe(200);
    expect(await control('GET', { host: own, 'sec-fetch-site': 'none' })).toBe(200);

    expect(await control('GET', { host: own, origin: 'http://evil.example' })).toBe(403);
    expect(await control('GET', { host: own, origin: 'http://localhost:3000' })).toBe(403);
    expect(await control('GET', { host: own, origin: 'null' })).toBe(403);
    expect(await control('GET', { host: own, 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await control('GET', { host: own, 'sec-fetch-site': 'same-site' })).toBe(403);
    // DNS rebinding: the page's own origin, but a Host that is not the IdP's.
    expect(
      await control('GET', {
        host: `evil.example:${idp.port}`,
        origin: `http://evil.example:${idp.port}`,
      }),
    ).toBe(403);

    // A refused POST changed nothing.
    const kid = idp.currentKid();
    expect(
      await control('POST', { host: own, origin: 'http://evil.example' }, 'rotate-signing-key'),
    ).toBe(403);
    expect(idp.currentKid()).toBe(kid);
  });
});
