import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { freePort } from '../tests/helpers/ports';
import { USERS } from '../tests/helpers/users';
import { startNextServer } from './next-server';

// SESSION_IDLE_TIMEOUT in a real browser: an untouched tab must not keep its session alive by
// refreshing on its timer (lib/client/activity.ts). Its own `next start` (the build Playwright's
// webServer made) with the shortest idle timeout the config allows and 10 s access tokens, and
// its own local IdP, so the rest of the suite keeps its settings.

const IDLE_SECONDS = 60;
const TTL_SECONDS = 10;
const CLIENT = { clientId: 'skc_idle_timeout', clientSecret: 'idle_timeout_secret_not_real' };

let idp: LocalIdp;
let app: ChildProcess;
let appUrl: string;
let dataDir: string;

test.describe('idle timeout', () => {
  test.describe.configure({ timeout: 300_000 });

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-idle-'));
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    idp = await startLocalIdp({
      port: 0,
      dataDir,
      appUrl,
      ...CLIENT,
      accessTokenTtl: TTL_SECONDS,
      persist: false,
      log: false,
    });
    app = await startNextServer(port, {
      SCALEKIT_ENV_URL: idp.url,
      SCALEKIT_CLIENT_ID: CLIENT.clientId,
      SCALEKIT_CLIENT_SECRET: CLIENT.clientSecret,
      SESSION_COOKIE_SECRET: 'idle-timeout-cookie-secret-0123456789abcdef',
      SESSION_IDLE_TIMEOUT: String(IDLE_SECONDS),
      APP_URL: appUrl,
      REDIS_URL: '',
    });
  });

  test.afterAll(async () => {
    app?.kill('SIGTERM');
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page) {
    await page.goto(`${appUrl}/dashboard`);
    await expect(page).toHaveURL((url) => url.href.startsWith(idp.url));
    await page.getByLabel('Email').fill(USERS.alice.email);
    await page.getByLabel('Password').fill(USERS.alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${appUrl}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText(USERS.alice.email);
  }

  test('a forgotten tab stops renewing and shows "session ended" within two idle windows', async ({
    page,
  }) => {
    await signIn(page);
    idp.resetStats();
    const started = Date.now();
    // Nobody touches the tab. Renewals stop once the last input is an idle window old, and the
    // tab lands on the session-ended page when the session's idle deadline passes.
    await expect(page).toHaveURL(/\/auth\/error\?code=session_ended/, {
      timeout: (2 * IDLE_SECONDS + TTL_SECONDS + 20) * 1000,
    });
    const elapsed = (Date.now() - started) / 1000;
    expect(elapsed).toBeGreaterThanOrEqual(IDLE_SECONDS);
    // It renewed while the page load was recent, then stopped: far fewer than one per token
    // lifetime over the whole wait.
    expect(idp.stats.refreshRequests).toBeLessThanOrEqual(
      Math.ceil(IDLE_SECONDS / (TTL_SECONDS / 2)) + 1,
    );
    // And the server agrees: with the tab's cookies, /dashboard no longer renders. Redirects are
    // followed only within the app (the IdP's own session would sign the user straight back in,
    // which is a new sign-in, not this session living on).
    let url = `${appUrl}/dashboard`;
    let response = await page.request.get(url, { maxRedirects: 0 });
    for (let hop = 0; hop < 5 && response.status() >= 300 && response.status() < 400; hop++) {
      const next = new URL(response.headers().location!, url);
      url = next.href;
      if (next.origin !== appUrl) break;
      response = await page.request.get(url, { maxRedirects: 0 });
    }
    expect(url.startsWith(`${idp.url}/oauth/authorize`) || url.includes('/auth/error')).toBe(true);
  });

  test('an active user (a key press now and then) stays signed in past two idle windows', async ({
    page,
  }) => {
    await signIn(page);
    const until = Date.now() + (2 * IDLE_SECONDS + TTL_SECONDS) * 1000;
    while (Date.now() < until) {
      await page.keyboard.press('Shift');
      await page.waitForTimeout(5_000);
    }
    await expect(page).toHaveURL(`${appUrl}/dashboard`);
    await page.reload();
    await expect(page.getByTestId('user-email')).toHaveText(USERS.alice.email);
  });
});
