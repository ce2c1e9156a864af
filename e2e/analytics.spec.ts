import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Redis from 'ioredis';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { signInOverHttp } from '../tests/helpers/http-session';
import { startRedisServer, type RedisServer } from '../tests/helpers/redis-server';
import { USERS } from '../tests/helpers/users';
import { startNextServer } from './next-server';

// Analytics end to end: a `next start` of the suite's build with REDIS_URL, so events go to a
// real Redis Stream, and a second one that is sent SIGTERM with a batch still pending. Ports
// 3310+ (E2E_ANALYTICS_PORT), apart from the suite's own app.

const BASE = Number(process.env.E2E_ANALYTICS_PORT ?? 3310);
const APP_PORT = BASE;
const IDP_PORT = BASE + 1;
const REDIS_PORT = BASE + 2;
const STOPPING_PORT = BASE + 3;
const APP_URL = `http://127.0.0.1:${APP_PORT}`;
const CLIENT = { clientId: 'skc_analytics_e2e', clientSecret: 'analytics_e2e_secret_not_real' };
const SECRET = 'analytics-e2e-cookie-secret-0123456789abcdef';
const STREAM = 'analytics:events';

let redis: RedisServer;
let reader: Redis;
let idp: LocalIdp;
let dataDir: string;
let app: ChildProcess;

const appEnv = (extra: Record<string, string> = {}) => ({
  SCALEKIT_ENV_URL: idp.url,
  SCALEKIT_CLIENT_ID: CLIENT.clientId,
  SCALEKIT_CLIENT_SECRET: CLIENT.clientSecret,
  SESSION_COOKIE_SECRET: SECRET,
  APP_URL,
  REDIS_URL: redis.url,
  EXAMPLE_API_URL: '',
  ...extra,
});

type Entry = { name: string; user: string; event: { userId: string; source: string } };

async function entries(stream = STREAM): Promise<Entry[]> {
  const raw = await reader.xrange(stream, '-', '+');
  return raw.map(([, fields]) => {
    const f = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
    return {
      name: f.get('name')!,
      user: f.get('user')!,
      event: JSON.parse(f.get('event')!) as Entry['event'],
    };
  });
}

const clicks = async (userId: string) =>
  (await entries()).filter((e) => e.name === 'demo.button_clicked' && e.user === userId);

async function signInInBrowser(page: Page) {
  await page.goto(`${APP_URL}/dashboard`);
  await expect(page).toHaveURL((url) => url.href.startsWith(idp.url));
  await page.getByLabel('Email').fill(USERS.alice.email);
  await page.getByLabel('Password').fill(USERS.alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  return (await page.getByTestId('user-id').textContent())!.trim();
}

test.describe('analytics', () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-analytics-'));
    redis = await startRedisServer(REDIS_PORT);
    reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    idp = await startLocalIdp({
      port: IDP_PORT,
      dataDir,
      appUrl: APP_URL,
      ...CLIENT,
      persist: false,
      log: false,
    });
    app = await startNextServer(APP_PORT, appEnv());
  });

  test.afterAll(async () => {
    app?.kill('SIGTERM');
    reader?.disconnect();
    await redis?.stop();
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the activity panel shows the sign-in; a click tracked in the page reaches the stream with the server’s identity', async ({
    page,
  }) => {
    const userId = await signInInBrowser(page);
    const panel = page.getByTestId('activity-event');
    await expect(panel.filter({ hasText: 'signed_in' }).first()).toBeVisible();

    const before = (await clicks(userId)).length;
    await page.getByRole('button', { name: 'Track a click' }).click();
    await expect(page.getByTestId('queued-count')).toHaveText('1 queued');
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(async () => (await clicks(userId)).length).toBe(before + 1);
    const [click] = (await clicks(userId)).slice(-1);
    expect(click!.event).toMatchObject({ userId, source: 'browser' });
    // The sign-in too, from the flow itself.
    await expect
      .poll(async () => (await entries()).some((e) => e.name === 'signed_in' && e.user === userId))
      .toBe(true);
    await expect(panel.filter({ hasText: 'demo.button_clicked' }).first()).toBeVisible();
  });

  test('a batch still queued when the page is hidden is delivered (sendBeacon)', async ({
    page,
  }) => {
    const userId = await signInInBrowser(page);
    const before = (await clicks(userId)).length;
    const track = page.getByRole('button', { name: 'Track a click' });
    for (let i = 0; i < 3; i++) await track.click();
    await expect(page.getByTestId('queued-count')).toHaveText('3 queued');
    // Queued in the page, not sent: under 10 events and 30 s.
    await page.waitForTimeout(500);
    expect((await clicks(userId)).length).toBe(before);
    await page.goto('about:blank');
    await expect.poll(async () => (await clicks(userId)).length).toBe(before + 3);
  });

  test('SIGTERM with a batch pending: the stopping server delivers it before it exits', async () => {
    const stream = 'analytics:sigterm';
    const stopping = await startNextServer(
      STOPPING_PORT,
      appEnv({ ANALYTICS_REDIS_STREAM: stream }),
    );
    const url = `http://127.0.0.1:${STOPPING_PORT}`;
    try {
      // Signed in through the main instance (the IdP's redirect URI is there); the refresh on
      // the second one leaves a session_refreshed event in its server-side batch (1 of 10).
      const jar = await signInOverHttp(APP_URL);
      const refresh = await fetch(`${url}/api/refresh`, {
        method: 'POST',
        headers: { cookie: jar.header(`${APP_URL}/api/refresh`)!, 'sec-fetch-site': 'same-origin' },
      });
      expect(refresh.status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(await reader.xlen(stream)).toBe(0);

      const exited = once(stopping, 'exit');
      stopping.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      const delivered = await entries(stream);
      expect(delivered.map((e) => e.name)).toEqual(['session_refreshed']);
      expect(delivered[0]!.user).toMatch(/^usr_/);
    } finally {
      if (stopping.exitCode === null) stopping.kill('SIGKILL');
    }
  });
});
