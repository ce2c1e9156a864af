// The local IdP, exercised through the real @scalekit-sdk/node client: if these pass, the SDK
// cannot tell it from a Scalekit environment for everything the app uses.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ScalekitClient } from '@scalekit-sdk/node';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { CookieJar, IdpLoginError, loginWithIdp, visitIdp } from './helpers/idp-login';
import { USERS } from './helpers/users';

const APP_URL = 'http://localhost:3999';
const REDIRECT_URI = `${APP_URL}/api/callback`;
const ALL_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

let idp: LocalIdp;
let dataDir: string;
let sdk: ScalekitClient;

const random = () => randomBytes(16).toString('base64url');

/** OIDC at_hash/c_hash for RS256, computed independently of the IdP. */
const halfHash = (value: string) =>
  createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

type AuthorizeOptions = Parameters<ScalekitClient['getAuthorizationUrl']>[1];

/** A full sign-in through the SDK; returns what the app's callback would have. */
async function signIn(
  user = USERS.alice,
  {
    scopes = ALL_SCOPES,
    jar,
    client = sdk,
    extra = {},
  }: { scopes?: string[]; jar?: CookieJar; client?: ScalekitClient; extra?: AuthorizeOptions } = {},
) {
  const { verifier, challenge } = pkce();
  const state = random();
  const nonce = random();
  const url = client.getAuthorizationUrl(REDIRECT_URI, {
    scopes,
    state,
    nonce,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    ...extra,
  });
  const login = await loginWithIdp(url, { ...user, jar });
  expect(`${login.callbackUrl.origin}${login.callbackUrl.pathname}`).toBe(REDIRECT_URI);
  expect(login.state).toBe(state);
  expect(login.code).toBeTruthy();
  const auth = await client.authenticateWithCode(login.code!, REDIRECT_URI, {
    codeVerifier: verifier,
  });
  return { auth, login, nonce, verifier };
}

async function control(pathname: string, init?: RequestInit) {
  const res = await fetch(`${idp.url}/__control/${pathname}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function setFault(token: 'none' | '503' | 'hang' | 'drop') {
  const res = await control('fault', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(res).toEqual({ status: 200, body: { token } });
}

/** Raw token-endpoint call, to see the OAuth error code the SDK hides behind its messages. */
async function rawRefresh(refreshToken: string) {
  const res = await fetch(`${idp.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'local-idp-test-'));
  idp = await startLocalIdp({ port: 0, dataDir, appUrl: APP_URL, accessTokenTtl: 120, log: false });
  sdk = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret, { timeoutMs: 5_000 });
});

afterAll(async () => {
  await idp?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  vi.useRealTimers();
  if (idp) idp.setFault('none');
});

describe('local IdP, driven by the real Scalekit SDK', () => {
  it('publishes discovery with Scalekit paths and keeps its private keys private', async () => {
    const discovery = (await (
      await fetch(`${idp.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: idp.url,
      authorization_endpoint: `${idp.url}/oauth/authorize`,
      token_endpoint: `${idp.url}/oauth/token`,
      jwks_uri: `${idp.url}/keys`,
      end_session_endpoint: `${idp.url}/oidc/logout`,
      userinfo_endpoint: `${idp.url}/userinfo`,
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = (await (await fetch(`${idp.url}/keys`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect((await stat(path.join(dataDir, 'signing-keys.json'))).mode & 0o777).toBe(0o600);
  });

  it('signs in, issues Scalekit-shaped tokens, refreshes with rotation and revokes the family on reuse', async () => {
    const { auth, login } = await signIn(USERS.alice);

    expect(auth.user).toMatchObject({
      id: 'usr_01HALICE0000000000000001',
      email: 'alice@example.com',
      emailVerified: true,
      name: 'Alice Admin',
      givenName: 'Alice',
      familyName: 'Admin',
    });
    expect(auth.idToken).toBeTruthy();
    expect(auth.refreshToken).toBeTruthy();
    expect(auth.expiresIn).toBe(120);

    // The ID token in the documented Full Stack Auth shape (scalekit-contract.md section 3).
    const idClaims = decodeJwt(auth.idToken);
    expect(decodeProtectedHeader(auth.idToken)).toMatchObject({
      alg: 'RS256',
      kid: expect.stringMatching(/^snk_/),
    });
    expect(idClaims).toEqual({
      iss: idp.url,
      aud: [idp.clientId],
      azp: idp.clientId,
      sub: 'usr_01HALICE0000000000000001',
      oid: 'org_01HACME00000000000000001',
      sid: expect.stringMatching(/^ses_[0-9a-f]{24}$/),
      client_id: idp.clientId,
      amr: ['conn_01HACMEOKTA0000000000001'],
      at_hash: halfHash(auth.accessToken),
      c_hash: halfHash(login.code!),
      iat: expect.any(Number),
      exp: Number(idClaims.iat) + 1800,
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Admin',
      given_name: 'Alice',
      family_name: 'Admin',
      picture: `${idp.url}/avatars/usr_01HALICE0000000000000001.svg`,
    });
    // No Scalekit example carries a nonce, so by default none comes back even though one was sent.
    expect(idClaims).not.toHaveProperty('nonce');

    // The access token is an RS256 JWT with Scalekit's claims, accepted by the SDK.
    expect(decodeProtectedHeader(auth.accessToken)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: decodeProtectedHeader(auth.idToken).kid,
    });
    expect(await sdk.validateAccessToken(auth.accessToken)).toBe(true);
    const claims = await sdk.validateToken<Record<string, unknown>>(auth.accessToken, {
      issuer: idp.url,
      audience: [idp.clientId],
    });
    expect(claims).toMatchObject({
      iss: idp.url,
      sub: 'usr_01HALICE0000000000000001',
      client_id: idp.clientId,
      oid: 'org_01HACME00000000000000001',
      roles: ['admin'],
      permissions: ['org:read', 'org:write', 'members:invite', 'api:read'],
      sid: idClaims.sid,
    });
    expect(claims.aud).toEqual([idp.clientId]);
    expect(claims.jti).toMatch(/^tkn_[0-9a-f]{32}$/);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.scope).toBe('openid profile email offline_access');
    expect(claims).not.toHaveProperty('email');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);

    // Refresh: new tokens, same session, same claims.
    const refreshed = await sdk.refreshAccessToken(auth.refreshToken);
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.refreshToken).not.toBe(auth.refreshToken);
    expect(refreshed.accessToken).not.toBe(auth.accessToken);
    const refreshedClaims = await sdk.validateToken<Record<string, unknown>>(refreshed.accessToken);
    expect(refreshedClaims.jti).not.toBe(claims.jti);
    expect(refreshedClaims).toMatchObject({
      sub: claims.sub,
      oid: claims.oid,
      roles: claims.roles,
      permissions: claims.permissions,
      client_id: idp.clientId,
      sid: claims.sid,
    });

    // Reusing the rotated-out refresh token fails and takes the whole family down with it.
    expect(await rawRefresh(auth.refreshToken)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    await expect(sdk.refreshAccessToken(refreshed.refreshToken)).rejects.toThrow(
      /Failed to refresh token/,
    );
    expect(await rawRefresh(refreshed.refreshToken)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('rotates the refresh token on every use', async () => {
    const { auth } = await signIn(USERS.bob);
    const seen = new Set([auth.refreshToken]);
    let current = auth.refreshToken;
    for (let i = 0; i < 3; i++) {
      const next = await sdk.refreshAccessToken(current);
      expect(seen.has(next.refreshToken)).toBe(false);
      seen.add(next.refreshToken);
      const claims = await sdk.validateToken<Record<string, unknown>>(next.accessToken);
      expect(claims).toMatchObject({ sub: 'usr_01HBOB000000000000000002', roles: ['member'] });
      current = next.refreshToken;
    }
  });

  it('shows "Invalid email or password." for a wrong password and keeps the email filled in', async () => {
    const url = sdk.getAuthorizationUrl(REDIRECT_URI, { scopes: ALL_SCOPES, state: random() });
    const error = await loginWithIdp(url, {
      email: USERS.alice.email,
      password: 'not-her-password',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdpLoginError);
    const { html, status } = error as IdpLoginError;
    expect(status).toBe(200);
    expect(html).toContain('Invalid email or password.');
    expect(html).toContain('value="alice@example.com"');
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);

    // An unknown user gets the same message (no account enumeration).
    const unknown = await loginWithIdp(url, { email: 'nobody@example.com', password: 'x' }).catch(
      (e: unknown) => e,
    );
    expect((unknown as IdpLoginError).html).toContain('Invalid email or password.');
  });

  it('issues no refresh token without offline_access', async () => {
    const { auth } = await signIn(USERS.alice, { scopes: ['openid', 'profile', 'email'] });
    expect(auth.accessToken).toBeTruthy();
    expect(auth.refreshToken).toBeUndefined();
    expect(decodeJwt(auth.idToken).email).toBe('alice@example.com');
  });

  it('reuses the IdP session (no form) until logout, and logout needs no interaction', async () => {
    const jar = new CookieJar();
    const first = await signIn(USERS.alice, { jar });
    expect(first.login.loginFormShown).toBe(true);

    // Second authorize in the same browser: silent SSO, and still a refresh token.
    const second = await signIn(USERS.alice, { jar });
    expect(second.login.loginFormShown).toBe(false);
    expect(second.auth.refreshToken).toBeTruthy();
    expect(decodeJwt(second.auth.idToken).sid).toBe(decodeJwt(first.auth.idToken).sid);

    const state = random();
    const logoutUrl = sdk.getLogoutUrl({
      idTokenHint: second.auth.idToken,
      postLogoutRedirectUri: `${APP_URL}/`,
      state,
    });
    expect(logoutUrl.startsWith(`${idp.url}/oidc/logout?`)).toBe(true);
    const logout = await visitIdp(logoutUrl, { jar, collectPages: true });
    expect(logout.outcome).toBe('redirected');
    expect(`${logout.url.origin}${logout.url.pathname}`).toBe(`${APP_URL}/`);
    expect(logout.url.searchParams.get('state')).toBe(state);
    // The only page on the way is the self-submitting logout step: nothing to click.
    for (const page of logout.pages) expect(page.html).toMatch(/\.submit\(\)/);

    // The IdP session is gone: the next authorize shows the login form again.
    const again = await visitIdp(
      sdk.getAuthorizationUrl(REDIRECT_URI, { scopes: ALL_SCOPES, state: random() }),
      { jar },
    );
    expect(again.outcome).toBe('login-form');
    expect(again.loginPage?.html).toContain('Sign in to Acme (local IdP)');
  });

  it('accepts an expired id_token_hint for logout', async () => {
    const jar = new CookieJar();
    // Sign in "two hours ago" so the ID token (1 h lifetime) is expired now.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 2 * 60 * 60 * 1000);
    const { auth } = await signIn(USERS.alice, { jar });
    vi.useRealTimers();
    expect(Number(decodeJwt(auth.idToken).exp) * 1000).toBeLessThan(Date.now());

    const logout = await visitIdp(
      sdk.getLogoutUrl({ idTokenHint: auth.idToken, postLogoutRedirectUri: APP_URL }),
      { jar },
    );
    expect(logout.outcome).toBe('redirected');
    expect(logout.url.href).toBe(`${APP_URL}/`);
  });

  it('shows the request hints on the login page, escaped, and "Create your account" for prompt=create', async () => {
    const url = sdk.getAuthorizationUrl(REDIRECT_URI, {
      scopes: ALL_SCOPES,
      state: random(),
      loginHint: 'bob@example.com',
      organizationId: 'org_01HACME00000000000000001',
      connectionId: 'conn_123<script>',
      domainHint: 'example.com',
      provider: 'google',
      prompt: 'create',
    });
    const visit = await visitIdp(url);
    expect(visit.outcome).toBe('login-form');
    const html = visit.loginPage!.html;
    expect(html).toContain('<h1>Create your account</h1>');
    expect(html).toContain('data-testid="idp-hints"');
    expect(html).toContain('value="bob@example.com"');
    for (const value of ['org_01HACME00000000000000001', 'example.com', 'google', 'create']) {
      expect(html).toContain(value);
    }
    expect(html).toContain('conn_123&lt;script&gt;');
    expect(html).not.toContain('conn_123<script>');

    // Without hints there is no hints box and the usual heading.
    const plain = await visitIdp(
      sdk.getAuthorizationUrl(REDIRECT_URI, { scopes: ALL_SCOPES, state: random() }),
    );
    expect(plain.loginPage!.html).not.toContain('data-testid="idp-hints"');
    expect(plain.loginPage!.html).toContain('<h1>Sign in to Acme</h1>');
  });

  it('still returns a refresh token with prompt=create, login or select_account', async () => {
    for (const prompt of ['create', 'login', 'select_account']) {
      const { auth, login } = await signIn(USERS.bob, { extra: { prompt } });
      expect(login.loginFormShown).toBe(true);
      expect(auth.refreshToken).toBeTruthy();
    }
  });

  it('rejects a replayed authorization code and a wrong PKCE verifier', async () => {
    const { verifier, challenge } = pkce();
    const url = sdk.getAuthorizationUrl(REDIRECT_URI, {
      scopes: ALL_SCOPES,
      state: random(),
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    });
    const { code } = await loginWithIdp(url, USERS.alice);
    await expect(
      sdk.authenticateWithCode(code!, REDIRECT_URI, { codeVerifier: 'x'.repeat(43) }),
    ).rejects.toMatchObject({
      response: { status: 400, data: { error: 'invalid_grant' } },
    });

    const second = await loginWithIdp(
      sdk.getAuthorizationUrl(REDIRECT_URI, {
        scopes: ALL_SCOPES,
        state: random(),
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
      }),
      USERS.alice,
    );
    const first = await sdk.authenticateWithCode(second.code!, REDIRECT_URI, {
      codeVerifier: verifier,
    });
    expect(first.accessToken).toBeTruthy();
    await expect(
      sdk.authenticateWithCode(second.code!, REDIRECT_URI, { codeVerifier: verifier }),
    ).rejects.toMatchObject({
      response: { status: 400, data: { error: 'invalid_grant' } },
    });
  });

  it('serves /userinfo for its JWT access tokens', async () => {
    const { auth } = await signIn(USERS.alice);
    const res = await fetch(`${idp.url}/userinfo`, {
      headers: { authorization: `Bearer ${auth.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      sub: 'usr_01HALICE0000000000000001',
      email: 'alice@example.com',
      name: 'Alice Admin',
    });
    const bad = await fetch(`${idp.url}/userinfo`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(bad.status).toBe(401);
  });

  it('rotates the signing key via the control endpoint; old and new tokens both validate', async () => {
    const before = await signIn(USERS.alice);
    const oldKid = decodeProtectedHeader(before.auth.accessToken).kid;

    const rotated = await control('rotate-signing-key', { method: 'POST' });
    expect(rotated.status).toBe(200);
    const newKid = rotated.body.kid as string;
    expect(newKid).not.toBe(oldKid);

    const jwks = (await (await fetch(`${idp.url}/keys`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // The SDK caches JWKS per client, so a fresh client stands in for "an app that just started".
    const fresh = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret, { timeoutMs: 5_000 });
    const after = await signIn(USERS.alice, { client: fresh });
    expect(decodeProtectedHeader(after.auth.accessToken).kid).toBe(newKid);
    expect(decodeProtectedHeader(after.auth.idToken).kid).toBe(newKid);
    expect(await fresh.validateAccessToken(after.auth.accessToken)).toBe(true);
    expect(await fresh.validateAccessToken(before.auth.accessToken)).toBe(true);

    // Refresh tokens issued before the rotation keep working and yield new-key tokens.
    const refreshed = await fresh.refreshAccessToken(before.auth.refreshToken);
    expect(decodeProtectedHeader(refreshed.accessToken).kid).toBe(newKid);
  });

  it('counts token requests and injects token-endpoint faults', async () => {
    const { auth } = await signIn(USERS.bob);
    expect((await control('reset-stats', { method: 'POST' })).body).toEqual({
      tokenRequests: 0,
      refreshRequests: 0,
    });

    await setFault('503');
    await expect(sdk.refreshAccessToken(auth.refreshToken)).rejects.toThrow(/status code 503/);
    expect((await control('stats')).body).toEqual({ tokenRequests: 1, refreshRequests: 1 });

    await setFault('drop');
    await expect(sdk.refreshAccessToken(auth.refreshToken)).rejects.toThrow(
      /Failed to refresh token/,
    );

    await setFault('hang');
    const impatient = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret, {
      timeoutMs: 300,
    });
    await expect(impatient.refreshAccessToken(auth.refreshToken)).rejects.toThrow(/timeout/i);

    await setFault('none');
    // The faulted attempts never reached the grant, so the refresh token is still good.
    const ok = await sdk.refreshAccessToken(auth.refreshToken);
    expect(ok.refreshToken).toBeTruthy();
    expect((await control('stats')).body).toEqual({ tokenRequests: 4, refreshRequests: 4 });
    expect(idp.stats).toEqual({ tokenRequests: 4, refreshRequests: 4 });

    expect((await control('fault', { method: 'POST', body: '{"token":"sometimes"}' })).status).toBe(
      400,
    );
    expect((await control('nope')).status).toBe(404);
  });

  it('keeps signing keys, IdP sessions and refresh tokens across a restart (same data dir and port)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'local-idp-restart-'));
    const first = await startLocalIdp({ port: 0, dataDir: dir, appUrl: APP_URL, log: false });
    const { port } = first;
    const client = new ScalekitClient(first.url, first.clientId, first.clientSecret, {
      timeoutMs: 5_000,
    });
    const jar = new CookieJar();
    let second: LocalIdp | undefined;
    try {
      const { auth } = await signIn(USERS.alice, { jar, client });
      await first.close();
      // Node's global agent keeps sockets alive; give this process's pooled sockets to the old
      // server a moment to see it has gone (a real restart takes seconds, not microseconds).
      await new Promise((r) => setTimeout(r, 200));

      second = await startLocalIdp({ port, dataDir: dir, appUrl: APP_URL, log: false });
      expect(second.currentKid()).toBe(first.currentKid());
      const restarted = new ScalekitClient(second.url, second.clientId, second.clientSecret, {
        timeoutMs: 5_000,
      });
      expect(await restarted.validateAccessToken(auth.accessToken)).toBe(true);
      const refreshed = await restarted.refreshAccessToken(auth.refreshToken);
      expect(await restarted.validateAccessToken(refreshed.accessToken)).toBe(true);
      // The browser's IdP session survived too: no login form.
      const again = await signIn(USERS.alice, { jar, client: restarted });
      expect(again.login.loginFormShown).toBe(false);
    } finally {
      await first.close();
      await second?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
