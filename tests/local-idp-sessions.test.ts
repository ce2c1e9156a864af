// The local IdP's Sessions API, driven by the real @scalekit-sdk/node over real HTTP/2 (gRPC) on
// the same origin as the OAuth endpoints, plus what ending a session does to tokens and the
// hosted-login browser session, and the signed webhooks it sends.
import { createHash, randomBytes } from 'node:crypto';
import http2 from 'node:http2';

import {
  ScalekitClient,
  ScalekitBadRequestException,
  ScalekitNotFoundException,
} from '@scalekit-sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LocalIdp } from '../local-idp/server.mjs';
import { CookieJar, loginWithIdp, visitIdp } from './helpers/idp-login';
import { startOwnIdp } from './helpers/own-idp';
import { USERS } from './helpers/users';

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const USER_IDS = {
  alice: 'usr_01HALICE0000000000000001',
  bob: 'usr_01HBOB000000000000000002',
};

let own: Awaited<ReturnType<typeof startOwnIdp>>;
let idp: LocalIdp;
let sdk: ScalekitClient;

beforeAll(async () => {
  own = await startOwnIdp('sessions');
  idp = own.idp;
  sdk = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret);
});
afterAll(() => own.close());

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizationUrl(challenge: string) {
  return sdk.getAuthorizationUrl(idp.redirectUri, {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    state: randomBytes(8).toString('hex'),
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
  });
}

/** One device signing in: its own browser (cookie jar) and User-Agent. */
async function signIn(user: { email: string; password: string }, userAgent = CHROME_MAC) {
  const jar = new CookieJar();
  const { verifier, challenge } = pkce();
  const login = await loginWithIdp(authorizationUrl(challenge), { ...user, jar, userAgent });
  const auth = await sdk.authenticateWithCode(login.code!, idp.redirectUri, {
    codeVerifier: verifier,
  });
  const sid = (
    JSON.parse(Buffer.from(auth.accessToken.split('.')[1]!, 'base64url').toString()) as {
      sid: string;
    }
  ).sid;
  return { jar, sid, refreshToken: auth.refreshToken!, idToken: auth.idToken, userAgent };
}

/** Whether this browser's next authorize needs the password again. */
async function needsLogin(jar: CookieJar, userAgent: string) {
  const { challenge } = pkce();
  const visit = await visitIdp(authorizationUrl(challenge), { jar, userAgent });
  return visit.outcome === 'login-form';
}

describe('Sessions API over gRPC with the real SDK', () => {
  it('lists and gets a signed-in session with its device in words', async () => {
    const before = Date.now();
    const laptop = await signIn(USERS.alice, CHROME_MAC);
    const phone = await signIn(USERS.alice, SAFARI_IPHONE);

    const list = await sdk.session.getUserSessions(USER_IDS.alice, {
      filter: { status: ['active'] },
    });
    const ids = list.sessions.map((s) => s.sessionId);
    expect(ids).toContain(laptop.sid);
    expect(ids).toContain(phone.sid);
    // Newest first.
    expect(ids.indexOf(phone.sid)).toBeLessThan(ids.indexOf(laptop.sid));

    const s = await sdk.session.getSession(laptop.sid);
    expect(s).toMatchObject({
      sessionId: laptop.sid,
      userId: USER_IDS.alice,
      organizationId: 'org_01HACME00000000000000001',
      authenticatedOrganizations: ['org_01HACME00000000000000001'],
      authenticatedClients: [
        expect.objectContaining({
          clientId: idp.clientId,
          organizationId: 'org_01HACME00000000000000001',
        }),
      ],
      status: 'active',
    });
    expect(s.device).toMatchObject({
      userAgent: CHROME_MAC,
      browser: 'Chrome',
      browserVersion: '131.0.0.0',
      os: 'macOS',
      osVersion: '10.15.7',
      deviceType: 'desktop',
    });
    expect(['127.0.0.1', '::1']).toContain(s.device?.ip);
    const phoneDetails = await sdk.session.getSession(phone.sid);
    expect(phoneDetails.device).toMatchObject({
      browser: 'Safari',
      os: 'iOS',
      osVersion: '17.5',
      deviceType: 'mobile',
    });

    // Times are protobuf Timestamps (seconds as BigInt), as the real SDK returns them.
    const created = Number(s.createdAt!.seconds) * 1000;
    expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Number(s.idleExpiresAt!.seconds)).toBe(Number(s.lastActiveAt!.seconds) + 7 * 24 * 3600);
    expect(Number(s.absoluteExpiresAt!.seconds)).toBe(
      Number(s.createdAt!.seconds) + 30 * 24 * 3600,
    );
    expect(s.expiredAt).toBeUndefined();
    expect(s.logoutAt).toBeUndefined();
  });

  it('revoking a session kills its refresh-token family and its hosted-login session', async () => {
    const device = await signIn(USERS.bob);
    const other = await signIn(USERS.bob, SAFARI_IPHONE);
    // Refresh works before, and counts as activity.
    const refreshed = await sdk.refreshAccessToken(device.refreshToken);
    expect(await needsLogin(device.jar, device.userAgent)).toBe(false);

    const res = await sdk.session.revokeSession(device.sid);
    expect(res.revokedSession).toMatchObject({ sessionId: device.sid, status: 'revoked' });

    await expect(sdk.refreshAccessToken(refreshed.refreshToken)).rejects.toThrow(/status code 400/);
    expect(await needsLogin(device.jar, device.userAgent)).toBe(true);
    expect((await sdk.session.getSession(device.sid)).status).toBe('revoked');

    // The other device is untouched.
    await expect(sdk.refreshAccessToken(other.refreshToken)).resolves.toBeTruthy();
    expect(await needsLogin(other.jar, other.userAgent)).toBe(false);
  });

  it('answers invalid_grant (HTTP 400) to a revoked session’s refresh', async () => {
    const device = await signIn(USERS.bob);
    await sdk.session.revokeSession(device.sid);
    const res = await fetch(`${idp.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        refresh_token: device.refreshToken,
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('revokeAllUserSessions revokes only the active ones', async () => {
    const a = await signIn(USERS.alice);
    const b = await signIn(USERS.alice, SAFARI_IPHONE);
    await sdk.session.revokeSession(a.sid);
    const active = await sdk.session.getUserSessions(USER_IDS.alice, {
      filter: { status: ['active'] },
      pageSize: 100,
    });
    const res = await sdk.session.revokeAllUserSessions(USER_IDS.alice);
    expect(res.totalRevoked).toBe(active.totalSize);
    const revokedIds = res.revokedSessions.map((s) => s.sessionId);
    expect(revokedIds).toContain(b.sid);
    expect(revokedIds).not.toContain(a.sid);
    expect(res.revokedSessions.every((s) => s.status === 'revoked')).toBe(true);
    const after = await sdk.session.getUserSessions(USER_IDS.alice, {
      filter: { status: ['active'] },
    });
    expect(after.totalSize).toBe(0);
    await expect(sdk.refreshAccessToken(b.refreshToken)).rejects.toThrow(/status code 400/);
  });

  it('pages with page_size / page_token and reports total_size', async () => {
    const all = await sdk.session.getUserSessions(USER_IDS.alice, { pageSize: 100 });
    expect(all.totalSize).toBeGreaterThanOrEqual(3);
    const first = await sdk.session.getUserSessions(USER_IDS.alice, { pageSize: 2 });
    expect(first.sessions).toHaveLength(2);
    expect(first.totalSize).toBe(all.totalSize);
    expect(first.nextPageToken).not.toBe('');
    const second = await sdk.session.getUserSessions(USER_IDS.alice, {
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.sessions.map((s) => s.sessionId)).toEqual(
      all.sessions.slice(2, 4).map((s) => s.sessionId),
    );
  });

  it('NotFound for an unknown session, InvalidArgument for a malformed one', async () => {
    const err = await sdk.session.getSession('ses_0000000000000000deadbeef').catch((e) => e);
    expect(err).toBeInstanceOf(ScalekitNotFoundException);
    expect((err as Error).message).toBe('[not_found] session not found');
    await expect(sdk.session.revokeSession('ses_nope')).rejects.toBeInstanceOf(
      ScalekitNotFoundException,
    );
    await expect(sdk.session.getSession('../etc/passwd')).rejects.toBeInstanceOf(
      ScalekitBadRequestException,
    );
    await expect(
      sdk.session.getUserSessions(USER_IDS.alice, { filter: { status: ['bogus'] } }),
    ).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });

  it('logout sets status logout and ends the refresh-token family', async () => {
    const device = await signIn(USERS.bob);
    const logoutUrl = sdk.getLogoutUrl({
      idTokenHint: device.idToken,
      postLogoutRedirectUri: idp.postLogoutRedirectUri,
    });
    const logout = await visitIdp(logoutUrl, {
      jar: device.jar,
      userAgent: device.userAgent,
    });
    expect(logout.outcome).toBe('redirected');
    const s = await sdk.session.getSession(device.sid);
    expect(s.status).toBe('logout');
    expect(s.logoutAt).toBeDefined();
    await expect(sdk.refreshAccessToken(device.refreshToken)).rejects.toThrow(/status code 400/);
  });
});

describe('the gRPC endpoint shares the OAuth origin', () => {
  /** One raw gRPC call over h2c; returns the response headers + trailers. */
  function rawCall(path: string, headers: Record<string, string> = {}) {
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const client = http2.connect(idp.url);
      client.on('error', reject);
      const req = client.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc+proto',
        te: 'trailers',
        ...headers,
      });
      const seen: Record<string, unknown> = {};
      req.on('response', (h) => Object.assign(seen, h));
      req.on('trailers', (t) => Object.assign(seen, t));
      req.on('data', () => {});
      req.on('end', () => {
        client.close();
        resolve(seen);
      });
      req.on('error', reject);
      // An empty SessionDetailsRequest frame: not compressed, length 0.
      req.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  }

  it('answers grpc-status 16 without a bearer token, or with a user access token', async () => {
    const path = '/scalekit.v1.sessions.SessionService/GetSession';
    expect((await rawCall(path))['grpc-status']).toBe('16');
    const device = await signIn(USERS.bob);
    const auth = await sdk.refreshAccessToken(device.refreshToken);
    expect(
      (await rawCall(path, { authorization: `Bearer ${auth.accessToken}` }))['grpc-status'],
    ).toBe('16');
  });

  it('keeps serving HTTP/1.1 OAuth endpoints on the same port', async () => {
    const res = await fetch(`${idp.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { issuer: string }).issuer).toBe(idp.issuer);
    expect((await fetch(`${idp.url}/keys`)).status).toBe(200);
  });

  it('issues client_credentials tokens to the configured client only', async () => {
    const token = (secret: string) =>
      fetch(`${idp.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: idp.clientId,
          client_secret: secret,
        }),
      });
    const ok = await token(idp.clientSecret);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid' });
    expect(body.expires_in).toBeGreaterThan(86_000);
    const bad = await token('wrong-secret');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_client');
  });
});
