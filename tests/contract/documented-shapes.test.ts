// The token shapes Scalekit documents (tests/contract/shapes.ts), signed by a fixture IdP of this
// file's own (tests/contract/token-server.ts), driven through the real route handlers and the
// real SDK over real HTTP: the callback, the session check, the refresh route, /api/access-token
// and examples/api-server. Each variant the docs leave open is played both ways.
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as refreshGET, POST as refreshPOST } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { nowSeconds, seal } from '@/lib/server/cookies';
import { startApiServer } from '../../examples/api-server/server.mjs';
import { expectNo5xx, sessionOf } from '../hostile/helpers';
import { appUrl, request, setCookies, stateCookieOf } from '../helpers/routes';
import {
  fsaAccessToken,
  fsaIdToken,
  M2M_AUDIENCE,
  m2mAccessToken,
  modularAccessToken,
  modularIdToken,
} from './shapes';
import { atHash, startContractIdp, type ContractIdp, type TokenResponse } from './token-server';
import { resetConfig, resetIdpHealth, resetIssuers, resetScalekit } from '@/lib/server/testing';

let idp: ContractIdp;
let codeCounter = 0;
const CUSTOM_DOMAIN = 'https://login.devramp.test';

beforeAll(async () => {
  idp = await startContractIdp();
  process.env.SCALEKIT_ENV_URL = idp.url;
  process.env.SCALEKIT_CLIENT_ID = idp.clientId;
  process.env.SCALEKIT_CLIENT_SECRET = idp.clientSecret;
  resetConfig();
  resetScalekit();
  resetIdpHealth();
});

afterAll(async () => {
  await idp?.close();
});

beforeEach(() => {
  idp.advertise(undefined);
  resetIssuers();
});

type Shape = { id: JWTPayload; access: JWTPayload };
const fsa = (iss = idp.url): Shape => ({
  id: fsaIdToken(iss, idp.clientId),
  access: fsaAccessToken(iss, idp.clientId),
});
const modular = (iss = idp.url): Shape => ({
  id: modularIdToken(iss, idp.clientId),
  access: modularAccessToken(iss, idp.clientId),
});

/** Signs the access token, then the ID token with the at_hash of that access token. */
async function tokensFor(shape: Shape, idOverrides: JWTPayload = {}) {
  const accessToken = await idp.sign(shape.access);
  const idToken = await idp.sign({ ...shape.id, at_hash: atHash(accessToken), ...idOverrides });
  return { accessToken, idToken };
}

/**
 * /login → (the hosted login is the fixture's business) → /api/callback with a code the fixture
 * answers with `response`. `withNonce` receives the nonce /login sent, for shapes that echo it.
 */
async function signIn(makeResponse: (nonce: string) => Promise<TokenResponse>) {
  const login = await loginGET(request('/login?returnTo=%2Fdashboard'));
  const [stateName, stateCookie] = stateCookieOf(login);
  const authorize = new URL(login.headers.get('location')!);
  expect(authorize.origin).toBe(idp.url);
  const code = `code_${++codeCounter}`;
  idp.answerCode(code, await makeResponse(authorize.searchParams.get('nonce')!));
  const callback = await callbackGET(
    request(`/api/callback?code=${code}&state=${authorize.searchParams.get('state')}`, {
      cookies: { [stateName]: stateCookie.value },
    }),
  );
  expectNo5xx(callback);
  const cookies = setCookies(callback);
  const jar: Record<string, string> = {};
  for (const name of ['sk_access_token', 'sk_id_token', 'sk_refresh_token']) {
    if (cookies[name]?.value) jar[name] = cookies[name].value;
  }
  return { location: callback.headers.get('location'), jar };
}

const signInWith = (shape: Shape, idOverrides: JWTPayload = {}, refreshToken?: string) =>
  signIn(async () => {
    const { accessToken, idToken } = await tokensFor(shape, idOverrides);
    return { access_token: accessToken, id_token: idToken, refresh_token: refreshToken };
  });

const dashboard = () => `${appUrl()}/dashboard`;
const refused = (code: string) => `${appUrl()}/auth/error?code=${code}`;

describe('callback + getSession: the documented Full Stack Auth shapes', () => {
  it('signs in with the documented ID token (aud array, azp, amr, at_hash, no nonce)', async () => {
    const { location, jar } = await signInWith(fsa(), {}, 'rt_fsa_1');
    expect(location).toBe(dashboard());
    const session = await sessionOf(jar);
    expect(session.status).toBe('authenticated');
    if (session.status !== 'authenticated') return;
    expect(session.user).toMatchObject({
      id: 'usr_63261014140912135',
      organizationId: 'org_59615193906282635',
      email: 'john.doe@example.com',
      name: 'John Doe',
      picture: 'https://images.example.com/john.png',
      roles: ['admin'],
      permissions: ['workspace_data:write', 'workspace_data:read'],
    });
  });

  it('signs in with aud as a plain string in both tokens', async () => {
    const shape = fsa();
    shape.id.aud = idp.clientId;
    shape.access.aud = idp.clientId;
    const { location, jar } = await signInWith(shape);
    expect(location).toBe(dashboard());
    expect((await sessionOf(jar)).status).toBe('authenticated');
  });

  it('signs in when the IdP echoes this login’s nonce', async () => {
    const { location } = await signIn(async (nonce) => {
      const { accessToken, idToken } = await tokensFor(fsa(), { nonce });
      return { access_token: accessToken, id_token: idToken };
    });
    expect(location).toBe(dashboard());
  });

  it.each([
    ['a nonce from another login', { nonce: 'nonce-of-another-login' }],
    ['an at_hash of another access token', { at_hash: atHash('some.other.token') }],
    ['azp naming another client', { azp: 'skc_someone_else' }],
    ['aud without this client', { aud: ['skc_someone_else'], azp: undefined }],
    ['another session (sid) than the access token', { sid: 'ses_00000000000000001' }],
  ])('refuses an ID token with %s: no session', async (_label, overrides) => {
    const { location, jar } = await signInWith(fsa(), overrides as JWTPayload);
    expect(location).toBe(refused('id_token_invalid'));
    expect(jar).toEqual({});
  });

  it('keeps no picture that is not an http(s) URL', async () => {
    const { jar } = await signInWith(fsa(), { picture: 'javascript:alert(document.cookie)' });
    const session = await sessionOf(jar);
    expect(session.status === 'authenticated' && session.user.picture).toBeUndefined();
    const data = await signInWith(fsa(), { picture: 'data:image/svg+xml,<svg onload=alert(1)>' });
    const other = await sessionOf(data.jar);
    expect(other.status).toBe('authenticated');
    expect(other.status === 'authenticated' && other.user.picture).toBeUndefined();
  });

  it('refuses an ID token returned in the access_token slot', async () => {
    const { location, jar } = await signIn(async () => {
      const idAsAccess = await idp.sign({ ...fsaIdToken(idp.url, idp.clientId) });
      const idToken = await idp.sign({
        ...fsaIdToken(idp.url, idp.clientId),
        at_hash: atHash(idAsAccess),
      });
      return { access_token: idAsAccess, id_token: idToken };
    });
    expect(location).toBe(refused('id_token_invalid'));
    expect(jar).toEqual({});
  });
});

describe('access tokens for an API audience (SCALEKIT_ACCESS_TOKEN_AUDIENCE)', () => {
  const API = 'https://api.your-app.example';
  const withAudience = (client_id = idp.clientId): Shape => {
    const shape = fsa();
    shape.access = { ...shape.access, aud: [API], client_id };
    return shape;
  };
  const configure = (value: string | undefined) => {
    if (value === undefined) delete process.env.SCALEKIT_ACCESS_TOKEN_AUDIENCE;
    else process.env.SCALEKIT_ACCESS_TOKEN_AUDIENCE = value;
    resetConfig();
  };

  it('refuses an API-audience access token unless that audience is configured', async () => {
    configure(undefined);
    const { location } = await signInWith(withAudience());
    expect(location).toBe(refused('id_token_invalid'));
  });

  it('accepts it once configured, for this client only', async () => {
    configure(API);
    try {
      const ours = await signInWith(withAudience());
      expect(ours.location).toBe(dashboard());
      expect((await sessionOf(ours.jar)).status).toBe('authenticated');
      // Same audience, issued to another client of the environment: not ours.
      const theirs = await signInWith(withAudience('skc_someone_else'));
      expect(theirs.location).toBe(refused('id_token_invalid'));
    } finally {
      configure(undefined);
    }
  });
});

describe('callback + getSession: Modular SSO shape, no refresh token', () => {
  it('keys the user on the access token’s sub although the ID token’s differs; no oid/sid needed', async () => {
    const { location, jar } = await signInWith(modular());
    expect(location).toBe(dashboard());
    expect(jar.sk_refresh_token).toBeUndefined();
    const session = await sessionOf(jar);
    expect(session.status).toBe('authenticated');
    if (session.status !== 'authenticated') return;
    expect(session.user.id).toBe('conn_70087756662964366;dcc62570-6a5a-4819-b11b-d33d110c7716');
    expect(session.user.organizationId).toBeUndefined();
    expect(session.user.roles).toEqual([]);
    expect(session.user.email).toBe('john@example.com');
  });

  it('ends with a clear notice, never a 5xx, when the access token expires without a refresh token', async () => {
    const { location, jar } = await signInWith(modular());
    expect(location).toBe(dashboard());
    // The same session once its access token has expired: pages send it to /api/refresh.
    const expired = modularAccessToken(idp.url, idp.clientId);
    expired.exp = nowSeconds() - 60;
    jar.sk_access_token = await seal(
      'sk_access_token',
      { at: await idp.sign(expired), u: {} },
      { expiresAt: nowSeconds() + 600 },
    );
    expect((await sessionOf(jar)).status).toBe('expired');
    const post = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: jar }));
    expect(post.status).toBe(401);
    expect(await post.json()).toMatchObject({ error: 'session_ended' });
    const get = await refreshGET(request('/api/refresh?returnTo=%2Fdashboard', { cookies: jar }));
    expectNo5xx(get);
    expect(get.headers.get('location')).toBe(
      `${appUrl()}/auth/error?code=session_ended&returnTo=%2Fdashboard`,
    );
  });
});

describe('refresh route: the refresh response carries new tokens', () => {
  it('rotates to the new access token and keeps the profile from the sign-in', async () => {
    const { jar } = await signInWith(fsa(), {}, 'rt_rotate_1');
    expect(jar.sk_refresh_token).toBeDefined();
    const next = fsa();
    next.access.jti = 'tkn_90928731115292064';
    next.access.roles = ['member'];
    const { accessToken, idToken } = await tokensFor(next);
    idp.answerRefresh('rt_rotate_1', {
      access_token: accessToken,
      refresh_token: 'rt_rotate_2',
      id_token: idToken,
    });
    const response = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: jar }));
    expect(response.status).toBe(200);
    const rotated = setCookies(response);
    const session = await sessionOf({ ...jar, sk_access_token: rotated.sk_access_token!.value });
    expect(session.status === 'authenticated' && session.user).toMatchObject({
      id: 'usr_63261014140912135',
      roles: ['member'],
      name: 'John Doe',
      picture: 'https://images.example.com/john.png',
    });
  });

  it('ends the session when the refresh answer’s access token is really an ID token', async () => {
    const { jar } = await signInWith(fsa(), {}, 'rt_swap_1');
    expect(jar.sk_refresh_token).toBeDefined();
    idp.answerRefresh('rt_swap_1', {
      access_token: await idp.sign(fsaIdToken(idp.url, idp.clientId)),
      refresh_token: 'rt_swap_2',
    });
    const response = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: jar }));
    expect(response.status).toBe(401);
  });
});

describe('/api/access-token', () => {
  it('hands out the documented access token, and nothing for an ID token sealed as one', async () => {
    const { jar } = await signInWith(fsa());
    const ok = await accessTokenGET(request('/api/access-token', { cookies: jar }));
    expect(ok.status).toBe(200);
    const idToken = await idp.sign(fsaIdToken(idp.url, idp.clientId));
    const sealed = await seal(
      'sk_access_token',
      { at: idToken, u: {} },
      { expiresAt: nowSeconds() + 600 },
    );
    const refusedResponse = await accessTokenGET(
      request('/api/access-token', { cookies: { sk_access_token: sealed } }),
    );
    expect(refusedResponse.status).toBe(401);
    expect(JSON.stringify(await refusedResponse.json())).not.toContain(idToken);
    expect((await sessionOf({ sk_access_token: sealed })).status).toBe('unauthenticated');
  });
});

describe('custom auth domain: iss from the env URL’s discovery document', () => {
  it('signs in with tokens issued by the advertised custom domain, asking discovery once', async () => {
    idp.advertise(CUSTOM_DOMAIN);
    const before = idp.discoveryRequests();
    const first = await signInWith(fsa(CUSTOM_DOMAIN));
    expect(first.location).toBe(dashboard());
    expect((await sessionOf(first.jar)).status).toBe('authenticated');
    await signInWith(fsa(CUSTOM_DOMAIN));
    expect(idp.discoveryRequests() - before).toBe(1);
  });

  it('never asks discovery when tokens carry the env URL', async () => {
    const before = idp.discoveryRequests();
    await signInWith(fsa());
    expect(idp.discoveryRequests()).toBe(before);
  });

  it('refuses an issuer the env URL does not advertise', async () => {
    idp.advertise(CUSTOM_DOMAIN);
    const { location, jar } = await signInWith(fsa('https://login.attacker.test'));
    expect(location).toBe(refused('id_token_invalid'));
    expect(jar).toEqual({});
  });

  it('says the IdP is unavailable (not "invalid") when discovery cannot be read', async () => {
    idp.advertise(null);
    const { location, jar } = await signInWith(fsa(CUSTOM_DOMAIN));
    expect(location).toBe(refused('idp_unavailable'));
    expect(jar).toEqual({});
  });
});

describe('examples/api-server with the documented shapes', () => {
  let api: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    api = await startApiServer({
      port: 0,
      issuer: idp.url,
      audience: [idp.clientId, M2M_AUDIENCE],
      jwksUrl: `${idp.url}/keys`,
      allowedOrigin: appUrl(),
    });
  });
  afterAll(async () => {
    await api?.close();
  });
  const me = async (token: string) => {
    const response = await fetch(`${api.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('accepts the FSA, Modular SSO and M2M access tokens', async () => {
    const user = fsaAccessToken(idp.url, idp.clientId);
    user.permissions = ['api:read'];
    expect(await me(await idp.sign(user))).toMatchObject({
      status: 200,
      body: { userId: 'usr_63261014140912135' },
    });
    // Accepted as an access token; it just carries no permission for this route.
    expect((await me(await idp.sign(modularAccessToken(idp.url, idp.clientId)))).status).toBe(403);
    expect(await me(await idp.sign(m2mAccessToken(idp.url)))).toMatchObject({
      status: 200,
      body: { userId: 'm2morg_68315758685323697', organizationId: 'org_59615193906282635' },
    });
  });

  it.each([
    ['FSA', () => fsaIdToken(idp.url, idp.clientId)],
    ['Modular SSO', () => modularIdToken(idp.url, idp.clientId)],
    ['FSA with jti added', () => ({ ...fsaIdToken(idp.url, idp.clientId), jti: 'tkn_1' })],
  ])('refuses the %s ID token with 401', async (_label, claims) => {
    const idToken = await idp.sign({ ...claims(), permissions: ['api:read'] });
    expect(await me(idToken)).toEqual({ status: 401, body: { error: 'invalid_token' } });
  });

  it('accepts the advertised custom-domain issuer and refuses any other', async () => {
    idp.advertise(CUSTOM_DOMAIN);
    const token = (iss: string) => {
      const claims = fsaAccessToken(iss, idp.clientId);
      claims.permissions = ['api:read'];
      return idp.sign(claims);
    };
    expect((await me(await token(CUSTOM_DOMAIN))).status).toBe(200);
    expect(await me(await token('https://login.attacker.test'))).toEqual({
      status: 401,
      body: { error: 'invalid_token' },
    });
  });
});
