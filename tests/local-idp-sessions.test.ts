// The local IdP's Sessions API, driven by the real @scalekit-sdk/node over real HTTP/2 (gRPC) on
// the same origin as the OAuth endpoints, plus what ending a session does to tokens and the
// hosted-login browser session, and the signed webhooks it sends.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';

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
  own = await startOwnIdp('sessions', { webhookRetryDelays: [50, 100] });
  idp = own.idp;
  sdk = new ScalekitClient(idp.url, idp.clientId, idp.clientSecret);
});
afterAll(() => own.close());

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

type Target = { idp: LocalIdp; sdk: ScalekitClient };
type AuthorizeOptions = Parameters<ScalekitClient['getAuthorizationUrl']>[1];

function authorizationUrl(
  challenge: string,
  to: Target = { idp, sdk },
  extra: AuthorizeOptions = {},
) {
  return to.sdk.getAuthorizationUrl(to.idp.redirectUri, {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    state: randomBytes(8).toString('hex'),
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    ...extra,
  });
}

const sidOf = (accessToken: string) =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string })
    .sid;

/** One device signing in: its own browser (cookie jar, unless given) and User-Agent. */
async function signIn(
  user: { email: string; password: string },
  userAgent = CHROME_MAC,
  {
    jar = new CookieJar(),
    to = { idp, sdk },
    extra,
    organizationId,
  }: { jar?: CookieJar; to?: Target; extra?: AuthorizeOptions; organizationId?: string } = {},
) {
  const { verifier, challenge } = pkce();
  const login = await loginWithIdp(authorizationUrl(challenge, to, extra), {
    ...user,
    jar,
    userAgent,
    organizationId,
  });
  const auth = await to.sdk.authenticateWithCode(login.code!, to.idp.redirectUri, {
    codeVerifier: verifier,
  });
  const sid = sidOf(auth.accessToken);
  return { jar, sid, refreshToken: auth.refreshToken!, idToken: auth.idToken, userAgent, login };
}

/** Whether this browser's next authorize needs the password again. */
async function needsLogin(jar: CookieJar, userAgent: string, to: Target = { idp, sdk }) {
  const { challenge } = pkce();
  const visit = await visitIdp(authorizationUrl(challenge, to), { jar, userAgent });
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

describe('session lifecycle', () => {
  it('revoked, the same browser signs in again into a new session; the app’s logout URL still returns', async () => {
    const device = await signIn(USERS.bob);
    await sdk.session.revokeSession(device.sid);
    // The app may revoke first and send the browser to /oidc/logout after: that still comes back.
    const logout = await visitIdp(
      sdk.getLogoutUrl({
        idTokenHint: device.idToken,
        postLogoutRedirectUri: idp.postLogoutRedirectUri,
      }),
      { jar: device.jar, userAgent: device.userAgent },
    );
    expect(logout.outcome).toBe('redirected');
    expect(logout.url.href).toBe(idp.postLogoutRedirectUri);
    expect((await sdk.session.getSession(device.sid)).status).toBe('revoked');

    const again = await signIn(USERS.bob, device.userAgent, { jar: device.jar });
    expect(again.login.loginFormShown).toBe(true);
    expect(again.sid).not.toBe(device.sid);
    expect((await sdk.session.getSession(again.sid)).status).toBe('active');
  });

  it('another user signing in on the same browser gets a session of their own', async () => {
    const bob = await signIn(USERS.bob);
    const alice = await signIn(USERS.alice, CHROME_MAC, {
      jar: bob.jar,
      extra: { prompt: 'login' },
    });
    expect(alice.sid).not.toBe(bob.sid);
    expect((await sdk.session.getSession(alice.sid)).userId).toBe(USER_IDS.alice);
    expect((await sdk.session.getSession(bob.sid)).userId).toBe(USER_IDS.bob);
  });

  it('switching organization in one session lists both as authenticated', async () => {
    const acme = 'org_01HACME00000000000000001';
    const globex = 'org_01HGLOBEX000000000000001';
    const first = await signIn(USERS.erin, CHROME_MAC, { organizationId: acme });
    const second = await signIn(USERS.erin, CHROME_MAC, {
      jar: first.jar,
      extra: { prompt: 'select_account' },
      organizationId: globex,
    });
    expect(second.sid).toBe(first.sid);
    const s = await sdk.session.getSession(first.sid);
    expect(s.organizationId).toBe(globex);
    expect(s.authenticatedOrganizations).toEqual([acme, globex]);
  });

  it('filters by created_at with start_time / end_time', async () => {
    const before = new Date(Date.now() - 1000);
    const device = await signIn(USERS.bob);
    const later = await sdk.session.getUserSessions(USER_IDS.bob, {
      filter: { startTime: before },
      pageSize: 100,
    });
    expect(later.sessions.map((s) => s.sessionId)).toContain(device.sid);
    const earlier = await sdk.session.getUserSessions(USER_IDS.bob, {
      filter: { startTime: new Date(0), endTime: before },
      pageSize: 100,
    });
    expect(earlier.sessions.map((s) => s.sessionId)).not.toContain(device.sid);
    await expect(
      sdk.session.getUserSessions(USER_IDS.bob, {
        filter: { startTime: before, endTime: new Date(before.getTime() - 1) },
      }),
    ).rejects.toBeInstanceOf(ScalekitBadRequestException);
  });

  it('an idle session expires: status expired, refresh refused, login asked again', async () => {
    const short = await startOwnIdp('sessions-idle', { sessionIdleTimeout: 1 });
    try {
      const to = {
        idp: short.idp,
        sdk: new ScalekitClient(short.idp.url, short.idp.clientId, short.idp.clientSecret),
      };
      const device = await signIn(USERS.bob, CHROME_MAC, { to });
      expect((await to.sdk.session.getSession(device.sid)).status).toBe('active');
      await new Promise((r) => setTimeout(r, 1_100));
      const s = await to.sdk.session.getSession(device.sid);
      expect(s.status).toBe('expired');
      expect(Number(s.expiredAt!.seconds)).toBe(Number(s.idleExpiresAt!.seconds));
      await expect(to.sdk.refreshAccessToken(device.refreshToken)).rejects.toThrow(
        /status code 400/,
      );
      expect(await needsLogin(device.jar, device.userAgent, to)).toBe(true);
      const active = await to.sdk.session.getUserSessions(USER_IDS.bob, {
        filter: { status: ['active'] },
      });
      expect(active.totalSize).toBe(0);
    } finally {
      await short.close();
    }
  });

  it('unknown users: NotFound for listing and revoke-all', async () => {
    await expect(
      sdk.session.getUserSessions('usr_00000000000000000000000000'),
    ).rejects.toBeInstanceOf(ScalekitNotFoundException);
    await expect(
      sdk.session.revokeAllUserSessions('usr_00000000000000000000000000'),
    ).rejects.toBeInstanceOf(ScalekitNotFoundException);
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

  it('a connection that only looks like HTTP/2 gets an HTTP/1.1 400, and the port keeps serving', async () => {
    const socket = net.connect(idp.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.end('PRX * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 400/);
    const s = await sdk.session.getUserSessions(USER_IDS.alice, { pageSize: 1 });
    expect(s.sessions).toHaveLength(1);
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

/** A webhook receiver: records raw bodies + headers, answers with the next scripted status. */
async function startReceiver() {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const statuses: number[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(statuses.shift() ?? 201).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/scalekit`;
  return {
    url,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('signed webhooks', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    idp.configureWebhook({ url: receiver.url, secret });
  });
  afterAll(async () => {
    idp.configureWebhook({ url: null });
    await receiver.close();
  });

  type Event = {
    spec_version: string;
    id: string;
    type: string;
    object: string;
    occurred_at: string;
    environment_id: string;
    organization_id: string;
    data: {
      user: { id: string; email: string };
      user_session: {
        session_id: string;
        user_id: string;
        status: string;
        device: Record<string, unknown>;
      };
    };
  };
  const eventsFor = (sid: string) =>
    receiver.received
      .map((r) => ({ ...r, event: JSON.parse(r.body) as Event }))
      .filter((r) => r.event.data?.user_session?.session_id === sid);

  it('sends user.login on sign-in and user.logout on revoke, accepted by the SDK', async () => {
    const device = await signIn(USERS.bob);
    await idp.webhooksSettled();
    await sdk.session.revokeSession(device.sid);
    await idp.webhooksSettled();

    const events = eventsFor(device.sid);
    expect(events.map((e) => e.event.type)).toEqual(['user.login', 'user.logout']);
    for (const { headers, body, event } of events) {
      expect(sdk.verifyWebhookPayload(secret, headers, body)).toBe(true);
      expect(headers['webhook-id']).toBe(event.id);
      expect(event).toMatchObject({
        spec_version: '1',
        object: 'User',
        environment_id: expect.stringMatching(/^env_/),
        organization_id: 'org_01HACME00000000000000001',
        data: {
          user: { id: USER_IDS.bob, email: USERS.bob.email },
          user_session: { session_id: device.sid, user_id: USER_IDS.bob },
        },
      });
      expect(event.id).toMatch(/^evt_/);
      expect(event.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    expect(events[0]!.event.data.user_session.status).toBe('ACTIVE');
    expect(events[1]!.event.data.user_session.status).toBe('REVOKED');
    expect(events[0]!.event.data.user_session.device).toMatchObject({
      browser: 'Chrome',
      os: 'macOS',
      device_type: 'Desktop',
    });
  });

  it('a tampered body or a foreign secret fails the SDK’s verification', async () => {
    const device = await signIn(USERS.bob);
    await idp.webhooksSettled();
    const [login] = eventsFor(device.sid);
    const tampered = login!.body.replace(device.sid, 'ses_0000000000000000000000ff');
    expect(() => sdk.verifyWebhookPayload(secret, login!.headers, tampered)).toThrow(
      'Invalid Signature',
    );
    const forged = await idp.sendWebhook({
      sessionId: device.sid,
      secret: `whsec_${randomBytes(32).toString('base64')}`,
    });
    const delivered = receiver.received.at(-1)!;
    expect(delivered.headers['webhook-id']).toBe(forged.id);
    expect(() => sdk.verifyWebhookPayload(secret, delivered.headers, delivered.body)).toThrow(
      'Invalid Signature',
    );
  });

  it('hand-made deliveries play stale and unsigned ones', async () => {
    const stale = await idp.sendWebhook({ timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(201);
    const got = receiver.received.at(-1)!;
    expect(got.headers['webhook-timestamp']).toBe(stale.timestamp);
    expect(() => sdk.verifyWebhookPayload(secret, got.headers, got.body)).toThrow(
      'Message timestamp too old',
    );
    await idp.sendWebhook({ signature: null });
    const unsigned = receiver.received.at(-1)!;
    expect(unsigned.headers['webhook-signature']).toBeUndefined();
    expect(() => sdk.verifyWebhookPayload(secret, unsigned.headers, unsigned.body)).toThrow(
      'Missing required headers',
    );
    // A replay: the same id and body again, freshly signed; telling it apart is the app's job.
    const first = await idp.sendWebhook({ id: 'evt_replayed000000000001', body: { hello: 1 } });
    const again = await idp.sendWebhook({ id: first.id, body: first.body });
    expect(again.id).toBe(first.id);
    const last = receiver.received.at(-1)!;
    expect(sdk.verifyWebhookPayload(secret, last.headers, last.body)).toBe(true);
  });

  it('retries a failed delivery with the same id, signed afresh', async () => {
    receiver.statuses.push(500, 503);
    const device = await signIn(USERS.bob);
    const delivery = () => idp.webhookDeliveries().findLast((d) => d.type === 'user.login');
    for (let i = 0; i < 100 && delivery()?.state === 'pending'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(delivery()).toMatchObject({ state: 'delivered' });
    expect(delivery()!.attempts.map((a) => a.status)).toEqual([500, 503, 201]);
    const attempts = eventsFor(device.sid);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(
      new Set([delivery()!.id]),
    );
    for (const a of attempts)
      expect(sdk.verifyWebhookPayload(secret, a.headers, a.body)).toBe(true);
  });

  it('a receiver that never answers does not hold up sign-in', async () => {
    const hanging = http.createServer(() => {});
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    idp.configureWebhook({ url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/` });
    try {
      const started = Date.now();
      const device = await signIn(USERS.bob);
      await sdk.session.revokeSession(device.sid);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      idp.configureWebhook({ url: receiver.url });
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('the dashboard lever (/__control/sessions/revoke) revokes and notifies', async () => {
    const device = await signIn(USERS.bob);
    const res = await fetch(`${idp.url}/__control/sessions/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: device.sid }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { revoked: { session_id: string; status: string }[] };
    expect(body.revoked).toEqual([
      expect.objectContaining({ session_id: device.sid, status: 'revoked' }),
    ]);
    await idp.webhooksSettled();
    const logout = eventsFor(device.sid).find((e) => e.event.type === 'user.logout');
    expect(logout && sdk.verifyWebhookPayload(secret, logout.headers, logout.body)).toBe(true);
    await expect(sdk.refreshAccessToken(device.refreshToken)).rejects.toThrow(/status code 400/);

    const unknown = await fetch(`${idp.url}/__control/sessions/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: 'ses_0000000000000000000000aa' }),
    });
    expect(unknown.status).toBe(404);
  });
});
