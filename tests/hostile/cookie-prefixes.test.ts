import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { CHUNK_SIZE } from '@/lib/server/cookies';
import { readSessionCookies } from '@/lib/server/session/session';
import { request, setCookies, signInThroughRoutes, USERS } from '../helpers/routes';
import { expectNo5xx, reader, sessionOf, type Jar } from './helpers';
import { resetConfig } from '@/lib/server/testing';

/**
 * Class: over https the auth cookies carry `__Host-` / `__Secure-` prefixes, which the browser
 * enforces (Secure; `__Host-` also path / and no Domain), so a sibling subdomain or an http
 * response cannot plant a session. Only the prefixed names are read there; plain names stay for
 * http://localhost development.
 */
const HTTPS_APP = 'https://app.example.test';
const H_ACCESS = '__Host-sk_access_token';
const H_ID = '__Host-sk_id_token';
const S_REFRESH = '__Secure-sk_refresh_token';

let plain: Awaited<ReturnType<typeof signInThroughRoutes>>['session'];
const savedAppUrl = process.env.APP_URL;

beforeAll(async () => {
  // Tokens come from a real sign-in over http (the local IdP knows only that redirect URI);
  // the sealed values are the same on both schemes, only the names differ.
  plain = (await signInThroughRoutes(USERS.alice)).session;
  process.env.APP_URL = HTTPS_APP;
  resetConfig();
});

afterAll(() => {
  process.env.APP_URL = savedAppUrl;
  resetConfig();
});

const post = async (path: string, cookies: Jar, handler: typeof refreshPOST) => {
  const response = await handler(
    request(path, { method: 'POST', cookies, headers: { origin: HTTPS_APP } }),
  );
  expectNo5xx(response);
  return response;
};

describe('hostile: cookie prefixes over https', () => {
  it('/login sets a __Secure- state cookie and attempt index, Secure, on their own paths', async () => {
    const login = await loginGET(request('/login'));
    expectNo5xx(login);
    const set = Object.entries(setCookies(login));
    const state = set.find(([name]) => name.startsWith('__Secure-sk_oauth_state_'));
    expect(state?.[1].attributes).toMatchObject({ secure: true, path: '/api/callback' });
    const index = set.find(([name]) => name === '__Secure-sk_login_attempts');
    expect(index?.[1].attributes).toMatchObject({ secure: true, path: '/login' });
    expect(set.some(([name]) => name.startsWith('sk_'))).toBe(false);
  });

  it('the callback looks up the __Secure- attempt, and a plain-named one is not it', async () => {
    const login = await loginGET(request('/login'));
    const [name, cookie] = Object.entries(setCookies(login)).find(([n]) =>
      n.startsWith('__Secure-sk_oauth_state_'),
    )!;
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    // Planted under the plain name (as an http response or a sibling could): not an attempt.
    const planted = await callbackGET(
      request(`/api/callback?code=x&state=${state}`, {
        cookies: { [name.replace('__Secure-', '')]: cookie.value },
      }),
    );
    expectNo5xx(planted);
    expect(new URL(planted.headers.get('location')!).searchParams.get('code')).toBe(
      'state_missing',
    );
    // Under its real name the state is found (the made-up code then fails at the IdP).
    const real = await callbackGET(
      request(`/api/callback?code=x&state=${state}`, { cookies: { [name]: cookie.value } }),
    );
    expect(new URL(real.headers.get('location')!).searchParams.get('code')).toBe(
      'code_exchange_failed',
    );
  });

  it('refresh reads __Secure-sk_refresh_token and writes __Host- / __Secure- cookies', async () => {
    const response = await post(
      '/api/refresh',
      { [S_REFRESH]: plain.sk_refresh_token },
      refreshPOST,
    );
    expect(response.status).toBe(200);
    const set = setCookies(response);
    expect(set[H_ACCESS]!.attributes).toMatchObject({ secure: true, path: '/' });
    expect(set[H_ACCESS]!.attributes.domain).toBeUndefined();
    expect(set[S_REFRESH]!.attributes).toMatchObject({ secure: true, path: '/api/refresh' });
    expect(Object.keys(set).some((n) => n.startsWith('sk_'))).toBe(false);
    expect((await sessionOf({ [H_ACCESS]: set[H_ACCESS]!.value }, true)).status).toBe(
      'authenticated',
    );
    plain = { ...plain, sk_refresh_token: set[S_REFRESH]!.value };
  });

  it('a plain-named refresh cookie over https is no session (401), never spent', async () => {
    const response = await post(
      '/api/refresh',
      { sk_refresh_token: plain.sk_refresh_token },
      refreshPOST,
    );
    expect(response.status).toBe(401);
  });

  it('a plain-named (tossed) access cookie over https is not a session', async () => {
    expect((await sessionOf({ sk_access_token: plain.sk_access_token }, true)).status).toBe(
      'unauthenticated',
    );
    // And the prefixed name means nothing on http.
    expect((await sessionOf({ [H_ACCESS]: plain.sk_access_token }, false)).status).toBe(
      'unauthenticated',
    );
  });

  it('chunks follow the prefix: __Host-name.0, .1 join; plain chunks over https do not', () => {
    const value = 'x'.repeat(CHUNK_SIZE + 10);
    const chunks = (name: string) => ({
      [`${name}.0`]: value.slice(0, CHUNK_SIZE),
      [`${name}.1`]: value.slice(CHUNK_SIZE),
    });
    expect(readSessionCookies(reader(chunks(H_ACCESS)), { secure: true }).access).toBe(value);
    expect(readSessionCookies(reader(chunks('sk_access_token')), { secure: true }).access).toBe(
      undefined,
    );
    expect(readSessionCookies(reader(chunks(H_ID)), { secure: false }).id).toBe(undefined);
  });

  it('sign-out over https deletes the prefixed cookies with matching attributes', async () => {
    const response = await post(
      '/logout',
      { [H_ACCESS]: plain.sk_access_token, [H_ID]: plain.sk_id_token },
      logoutPOST,
    );
    const set = setCookies(response);
    for (const name of [H_ACCESS, H_ID]) {
      expect(set[name]!.attributes).toMatchObject({ 'max-age': '0', secure: true, path: '/' });
    }
    expect(set[S_REFRESH]!.attributes).toMatchObject({ 'max-age': '0', path: '/api/refresh' });
    // And the session is denied: the prefixed refresh cookie no longer mints anything.
    const after = await post('/api/refresh', { [S_REFRESH]: plain.sk_refresh_token }, refreshPOST);
    expect(after.status).toBe(401);
  });
});
