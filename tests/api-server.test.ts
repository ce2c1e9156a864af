// examples/api-server: a separate backend verifying the app's access tokens against the real
// local IdP's JWKS. Each test is something a caller, honest or not, would send it.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScalekitClient } from '@scalekit-sdk/node';
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../examples/api-server/server.mjs';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { loginWithIdp } from './helpers/idp-login';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { appUrl, idpUrl, request, signInThroughRoutes, USERS } from './helpers/routes';

const CLIENT_ID = 'skc_vitest_client';
let api: { url: string; close: () => Promise<void> };

/** The access token the app would hand its dashboard for this user. */
async function accessTokenFor(user: { email: string; password: string }) {
  const { session } = await signInThroughRoutes(user);
  const response = await accessTokenGET(
    request('/api/access-token', { cookies: { sk_access_token: session.sk_access_token } }),
  );
  return ((await response.json()) as { accessToken: string }).accessToken;
}

const call = (pathname: string, headers: Record<string, string> = {}, base = api.url) =>
  fetch(`${base}${pathname}`, { headers });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  api = await startApiServer({
    port: 0,
    issuer: idpUrl(),
    audience: CLIENT_ID,
    jwksUrl: `${idpUrl()}/keys`,
    allowedOrigin: appUrl(),
  });
});

afterAll(async () => {
  await api?.close();
});

describe('examples/api-server', () => {
  it('answers alice with her user id, from a verified token', async () => {
    const response = await call('/api/me', bearer(await accessTokenFor(USERS.alice)));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      userId: 'usr_01HALICE0000000000000001',
      organizationId: 'org_01HACME00000000000000001',
      roles: ['admin'],
    });
    const invitations = await call('/api/invitations', bearer(await accessTokenFor(USERS.alice)));
    expect(invitations.status).toBe(200);
  });

  it('answers 403 to a valid token that lacks the route’s permission (bob: no members:invite)', async () => {
    const token = await accessTokenFor(USERS.bob);
    expect((await call('/api/me', bearer(token))).status).toBe(200);
    const response = await call('/api/invitations', bearer(token));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await response.json()).toEqual({
      error: 'insufficient_permission',
      required: 'members:invite',
    });
  });

  it('answers 401 without a token, or with a malformed Authorization header', async () => {
    for (const headers of [{}, { authorization: 'Basic YWxpY2U6cHc=' }, bearer('')]) {
      const response = await call('/api/me', headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'missing_token' });
    }
  });

  it('rejects bob’s token with permissions he added himself (signature no longer matches)', async () => {
    const token = await accessTokenFor(USERS.bob);
    const [header, , signature] = token.split('.');
    const claims = decodeJwt(token);
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...claims,
        permissions: [...(claims.permissions as string[]), 'members:invite'],
      }),
    ).toString('base64url');
    const response = await call(
      '/api/invitations',
      bearer(`${header}.${forgedPayload}.${signature}`),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_token' });
  });

  it('rejects alg "none", HS256, and RS256 signed by any key but the IdP’s', async () => {
    const real = decodeJwt(await accessTokenFor(USERS.alice));
    const { kid } = decodeProtectedHeader(await accessTokenFor(USERS.alice));
    const unsigned = new UnsecuredJWT(real).encode();
    const hs256 = await new SignJWT(real)
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(new TextEncoder().encode('guessable-shared-secret-0123456789'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = await new SignJWT(real)
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(privateKey);
    for (const token of [unsigned, hs256, foreign]) {
      const response = await call('/api/me', bearer(token));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'invalid_token' });
    }
  });

  it('rejects a real token meant for another audience or from another issuer', async () => {
    const token = await accessTokenFor(USERS.alice);
    const other = await startApiServer({
      port: 0,
      issuer: idpUrl(),
      audience: 'skc_some_other_app',
      jwksUrl: `${idpUrl()}/keys`,
      allowedOrigin: appUrl(),
    });
    const wrongIssuer = await startApiServer({
      port: 0,
      issuer: 'https://acme.scalekit.dev',
      audience: CLIENT_ID,
      jwksUrl: `${idpUrl()}/keys`,
      allowedOrigin: appUrl(),
    });
    try {
      expect((await call('/api/me', bearer(token), other.url)).status).toBe(401);
      expect((await call('/api/me', bearer(token), wrongIssuer.url)).status).toBe(401);
    } finally {
      await other.close();
      await wrongIssuer.close();
    }
  });

  it('allows CORS for the app’s origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/me`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ours = await preflight(appUrl());
    expect(ours.headers.get('access-control-allow-origin')).toBe(appUrl());
    expect(ours.headers.get('access-control-allow-headers')).toContain('authorization');
    const theirs = await preflight('https://evil.example');
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await call('/api/me', { origin: 'https://evil.example' });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('examples/api-server with short-lived tokens', () => {
  let idp: LocalIdp;
  let dataDir: string;
  let shortApi: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'local-idp-api-'));
    idp = await startLocalIdp({
      port: 0,
      dataDir,
      appUrl: 'http://localhost:3998',
      accessTokenTtl: 1,
      persist: false,
      log: false,
    });
    shortApi = await startApiServer({
      port: 0,
      issuer: idp.url,
      audience: idp.clientId,
      jwksUrl: `${idp.url}/keys`,
      allowedOrigin: 'http://localhost:3998',
    });
  });

  afterAll(async () => {
    await shortApi?.close();
    await idp?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('rejects a genuine token once it has expired (past the 5 s clock tolerance)', async () => {
    const sdk = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret);
    const verifier = randomBytes(32).toString('base64url');
    const redirectUri = 'http://localhost:3998/api/callback';
    const login = await loginWithIdp(
      sdk.getAuthorizationUrl(redirectUri, {
        scopes: ['openid', 'profile', 'email'],
        state: 'state',
        nonce: 'nonce',
        codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
        codeChallengeMethod: 'S256',
      }),
      USERS.alice,
    );
    const { accessToken } = await sdk.authenticateWithCode(login.code!, redirectUri, {
      codeVerifier: verifier,
    });
    expect((await call('/api/me', bearer(accessToken), shortApi.url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 7_500));
    const response = await call('/api/me', bearer(accessToken), shortApi.url);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'token_expired' });
  }, 20_000);
});
