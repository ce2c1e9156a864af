import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { signInOverHttp } from '../tests/helpers/http-session';
import type { CookieJar } from '../tests/helpers/idp-login';
import { startRedisServer, type RedisServer } from '../tests/helpers/redis-server';
import { newWebhookSecret } from '../tests/helpers/webhooks';
import { E2E } from './env';
import { signInOnIdp } from './helpers';
import { startNextServer } from './next-server';

// Sessions and devices: two browsers as two devices against the suite's app, then two
// `next start` instances sharing Redis (plus their own local IdP, which sends webhooks to A) for
// the 1 s bound across instances. Carol is the user here: no other spec signs her in.
const CAROL = { email: 'carol@example.com', password: 'carol-password' };
const CAROL_ID = 'usr_01HCAROL0000000000000003';
const ALICE_ID = 'usr_01HALICE0000000000000001';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const BOUND_MS = 1_000;

async function newDevice(browser: Browser, userAgent?: string) {
  const context = await browser.newContext(userAgent ? { userAgent } : {});
  return { context, page: await context.newPage() };
}

async function signInTo(page: import('@playwright/test').Page, target: string) {
  await page.goto(target);
  await signInOnIdp(page, CAROL);
  await expect(page).toHaveURL(`${E2E.appUrl}${target}`);
}

/** A device's next navigation to /dashboard: 200, or the redirect a signed-out browser gets. */
async function nextNavigation(device: Awaited<ReturnType<typeof newDevice>>) {
  const response = await device.context.request.get('/dashboard', { maxRedirects: 0 });
  return { status: response.status(), location: response.headers()['location'] ?? '' };
}

test.describe('sessions and devices (one instance)', () => {
  test.beforeEach(async ({ request }) => {
    // The suite's IdP keeps sessions across runs: start from none of Carol's.
    const cleared = await request.post(`${E2E.idpUrl}/__control/sessions/revoke`, {
      data: { user_id: CAROL_ID },
    });
    expect(cleared.ok()).toBe(true);
  });

  test('both devices are listed; revoking the other signs it out on its next navigation within 1 s', async ({
    browser,
  }) => {
    const laptop = await newDevice(browser);
    const phone = await newDevice(browser, IPHONE);
    await signInTo(phone.page, '/dashboard');
    await signInTo(laptop.page, '/dashboard');

    // From the account menu, as a user finds it.
    await laptop.page.getByTestId('user-button').click();
    await laptop.page.getByTestId('user-button-sessions').click();
    await expect(laptop.page).toHaveURL(`${E2E.appUrl}/account/sessions`);
    const rows = laptop.page.getByTestId('session-row');
    await expect(rows).toHaveCount(2);
    const here = rows.filter({ has: laptop.page.getByTestId('this-device-badge') });
    await expect(here).toHaveCount(1);
    await expect(here.getByTestId('session-device')).toHaveText(/^(Chrome|HeadlessChrome) \d+ on /);
    await expect(here.getByTestId('session-last-active')).toHaveText('just now');
    const other = rows.filter({ hasText: 'Safari 17 on iOS 17.5' });
    await expect(other).toHaveCount(1);
    await expect(other.getByTestId('session-details')).toContainText('Mobile');

    expect((await nextNavigation(phone)).status).toBe(200);
    await other.getByTestId('revoke-session').click();
    await expect(laptop.page.getByTestId('auth-notice')).toContainText('Session signed out');
    const revokedAt = Date.now();
    await expect(rows).toHaveCount(1);

    const next = await nextNavigation(phone);
    const delay = Date.now() - revokedAt;
    expect(next.status).toBe(307);
    expect(new URL(next.location, E2E.appUrl).pathname).toBe('/login');
    expect(delay).toBeLessThan(BOUND_MS);
    // In the browser: back at the hosted sign-in, password asked again.
    await phone.page.goto('/dashboard');
    await expect(phone.page.getByLabel('Password')).toBeVisible();
    // The laptop is untouched.
    expect((await nextNavigation(laptop)).status).toBe(200);
    await laptop.context.close();
    await phone.context.close();
  });

  test('"Sign out everywhere" ends both devices', async ({ browser }) => {
    const laptop = await newDevice(browser);
    const phone = await newDevice(browser, IPHONE);
    await signInTo(phone.page, '/dashboard');
    await signInTo(laptop.page, '/account/sessions');
    await expect(laptop.page.getByTestId('session-row')).toHaveCount(2);

    await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(laptop.page).toHaveURL(`${E2E.appUrl}/`);
    await expect(laptop.page.getByTestId('auth-notice')).toContainText(
      'You are signed out everywhere',
    );
    for (const device of [laptop, phone]) {
      const next = await nextNavigation(device);
      expect(next.status).toBe(307);
      expect(new URL(next.location, E2E.appUrl).pathname).toBe('/login');
    }
    await laptop.context.close();
    await phone.context.close();
  });
});

// ---- Two instances ----

const PORTS = { a: 3210, b: 3211, idp: 3212, redis: 3213 };
const CLIENT = { clientId: 'skc_sessions_e2e', clientSecret: 'sessions_e2e_secret_not_real' };
const COOKIE_SECRET = 'sessions-e2e-cookie-secret-0123456789abcdef';
const WEBHOOK_SECRET = newWebhookSecret();
const A = `http://127.0.0.1:${PORTS.a}`;
const B = `http://127.0.0.1:${PORTS.b}`;

let redis: RedisServer;
let idp: LocalIdp;
let dataDir: string;
const servers: ChildProcess[] = [];

const same = { 'sec-fetch-site': 'same-origin' };
const cookieFor = (jar: CookieJar, url: string) => jar.header(url) ?? '';

/** The revoke form of /account/sessions on instance A, posted from `device` for `sessionId`. */
function revokeOnA(device: CookieJar, sessionId: string) {
  return fetch(`${A}/account/sessions/revoke`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...same,
      cookie: cookieFor(device, `${A}/account/sessions/revoke`),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ session_id: sessionId }),
  });
}

/** What instance `base` answers to the device's page cookies: 200 = still signed in. */
async function accessTokenStatus(base: string, jar: CookieJar) {
  const url = `${base}/api/access-token`;
  return (
    await fetch(url, { headers: { ...same, cookie: cookieFor(jar, `${A}/api/access-token`) } })
  ).status;
}

/** Polls `base` until it refuses the device; returns how long that took, or Infinity. */
async function refusedWithin(base: string, jar: CookieJar, since: number, limitMs = 5_000) {
  while (Date.now() - since < limitMs) {
    const status = await accessTokenStatus(base, jar);
    expect(status).toBeLessThan(500);
    if (status === 401) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 10));
  }
  return Infinity;
}

const newestSid = (userId: string) => idp.listSessions(userId)[0]!.session_id;

function record(name: string, ms: number) {
  const figure = `${name}: ${ms} ms`;
  console.log(`[measurement] ${figure}`);
  test.info().annotations.push({ type: 'measurement', description: figure });
}

test.describe('sessions across two instances with Redis', () => {
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-sessions-e2e-'));
    redis = await startRedisServer(PORTS.redis);
    idp = await startLocalIdp({
      port: PORTS.idp,
      dataDir,
      appUrl: A,
      ...CLIENT,
      persist: false,
      log: false,
    });
    idp.configureWebhook({ url: `${A}/api/webhooks/scalekit`, secret: WEBHOOK_SECRET });
    const env = {
      SCALEKIT_ENV_URL: idp.url,
      SCALEKIT_CLIENT_ID: CLIENT.clientId,
      SCALEKIT_CLIENT_SECRET: CLIENT.clientSecret,
      SESSION_COOKIE_SECRET: COOKIE_SECRET,
      APP_URL: A,
      REDIS_URL: redis.url,
      SCALEKIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    };
    servers.push(
      ...(await Promise.all([startNextServer(PORTS.a, env), startNextServer(PORTS.b, env)])),
    );
  });

  test.afterAll(async () => {
    for (const server of servers) server.kill('SIGTERM');
    await redis?.stop();
    await idp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('revoked through A, refused by B within 1 s', async () => {
    const laptop = await signInOverHttp(A);
    const phone = await signInOverHttp(A);
    const phoneSid = newestSid(ALICE_ID);
    // B has verified and memoized the phone's session: only the broadcast can end it there.
    expect(await accessTokenStatus(B, phone)).toBe(200);
    const response = await revokeOnA(laptop, phoneSid);
    const revokedAt = Date.now();
    expect(response.status).toBe(303);
    const delay = await refusedWithin(B, phone, revokedAt);
    record('revoke via A → refused by B', delay);
    expect(delay).toBeLessThan(BOUND_MS);
    expect(await accessTokenStatus(B, laptop)).toBe(200);
  });

  test('signed out on A: a copied access cookie is refused by B within 1 s, a copied refresh cookie mints nothing', async () => {
    const device = await signInOverHttp(A);
    expect(await accessTokenStatus(B, device)).toBe(200);
    const copiedRefresh = cookieFor(device, `${B}/api/refresh`);
    const logout = await fetch(`${A}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...same, cookie: cookieFor(device, `${A}/logout`) },
    });
    const signedOutAt = Date.now();
    expect(logout.status).toBe(303);
    const delay = await refusedWithin(B, device, signedOutAt);
    record('sign-out on A → copied access cookie refused by B', delay);
    expect(delay).toBeLessThan(BOUND_MS);
    const refresh = await fetch(`${B}/api/refresh`, {
      method: 'POST',
      headers: { ...same, cookie: copiedRefresh },
    });
    expect(refresh.status).toBe(401);
  });

  test('a webhook from the IdP ("revoked in the dashboard") ends the session on both instances', async () => {
    const device = await signInOverHttp(A);
    const sid = newestSid(ALICE_ID);
    expect(await accessTokenStatus(B, device)).toBe(200);
    const revokedAt = Date.now();
    idp.revokeSession(sid);
    const delay = await refusedWithin(B, device, revokedAt);
    record('dashboard revoke → webhook to A → refused by B', delay);
    expect(delay).toBeLessThan(BOUND_MS);
    expect(await accessTokenStatus(A, device)).toBe(401);
    await idp.webhooksSettled();
    const delivery = idp.webhookDeliveries().findLast((d) => d.type === 'user.logout');
    expect(delivery?.state).toBe('delivered');
    expect(delivery?.attempts.at(-1)?.status).toBe(200);
  });

  test('forged, stale, unsigned and replayed webhooks change nothing', async () => {
    const device = await signInOverHttp(A);
    const sessionId = newestSid(ALICE_ID);
    const now = Math.floor(Date.now() / 1000);
    const shots = await Promise.all([
      idp.sendWebhook({ sessionId, secret: newWebhookSecret() }),
      idp.sendWebhook({ sessionId, timestamp: now - 600 }),
      idp.sendWebhook({ sessionId, signature: null }),
    ]);
    expect(shots.map((shot) => shot.status)).toEqual([401, 401, 401]);
    expect(await accessTokenStatus(A, device)).toBe(200);
    expect(await accessTokenStatus(B, device)).toBe(200);

    // A delivery id already acted on, re-sent (validly signed) about another session: ignored.
    const first = await signInOverHttp(A);
    const firstSid = newestSid(ALICE_ID);
    const id = `evt_replay_${Date.now()}`;
    expect((await idp.sendWebhook({ id, sessionId: firstSid })).status).toBe(200);
    expect(await refusedWithin(B, first, Date.now())).toBeLessThan(BOUND_MS);
    const replay = await idp.sendWebhook({ id, sessionId });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.responseBody ?? '{}').result).toBe('duplicate');
    expect(await accessTokenStatus(A, device)).toBe(200);
    expect(await accessTokenStatus(B, device)).toBe(200);
  });

  test('Redis down: sign-out and revoke still work on A (no 5xx); B holds until the next refresh', async () => {
    const laptop = await signInOverHttp(A);
    const phone = await signInOverHttp(A);
    const phoneSid = newestSid(ALICE_ID);
    expect(await accessTokenStatus(B, phone)).toBe(200);
    await redis.stop();
    const revoke = await revokeOnA(laptop, phoneSid);
    expect(revoke.status).toBe(303);
    // A, which revoked, refuses at once; B did not hear of it, and says so without an error.
    expect(await accessTokenStatus(A, phone)).toBe(401);
    expect(await accessTokenStatus(B, phone)).toBe(200);
    // At the phone's next refresh B asks the IdP, which has revoked the session.
    const refresh = await fetch(`${B}/api/refresh`, {
      method: 'POST',
      headers: { ...same, cookie: cookieFor(phone, `${B}/api/refresh`) },
    });
    expect(refresh.status).toBe(401);
    const logout = await fetch(`${A}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...same, cookie: cookieFor(laptop, `${A}/logout`) },
    });
    expect(logout.status).toBe(303);
    for (const base of [A, B]) {
      const page = await fetch(`${base}/dashboard`, {
        redirect: 'manual',
        headers: { cookie: cookieFor(laptop, `${A}/dashboard`) },
      });
      expect(page.status).toBeLessThan(500);
    }
  });
});
