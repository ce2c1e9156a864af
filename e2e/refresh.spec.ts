// Seamless refresh in a real browser against `next start` and the local IdP, with short-lived
// access tokens (set per test through the IdP's control endpoint, restored afterwards).
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { refreshDelay } from '../lib/client/refresh-schedule';
import { E2E } from './env';
import { AUTH_COOKIES, authCookies, signIn } from './helpers';

/** lib/server/tokens.ts accepts a token this long after its `exp`. */
const CLOCK_TOLERANCE_MS = 5_000;

async function control(path: string, body?: unknown) {
  const response = await fetch(`${E2E.idpUrl}/__control/${path}`, {
    method: body === undefined && path === 'stats' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `IdP control ${path}`).toBe(true);
  return response.json();
}
const setTokenTtl = (seconds: number) => control('access-token-ttl', { seconds });
const setFault = (token: 'none' | '503' | 'hang' | 'drop') => control('fault', { token });
const resetStats = () => control('reset-stats', {});
const idpStats = (): Promise<{ tokenRequests: number; refreshRequests: number }> =>
  control('stats');

test.afterEach(async () => {
  await setFault('none');
  await setTokenTtl(300);
});

/** Everything a user would experience as being signed out, or as the server failing. */
function watch(pages: Page[]) {
  const logouts: string[] = [];
  const serverErrors: string[] = [];
  for (const page of pages) {
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      const url = new URL(frame.url());
      if (
        url.origin === E2E.idpUrl ||
        url.pathname === '/login' ||
        url.pathname.startsWith('/auth/')
      ) {
        logouts.push(url.pathname + url.search);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
  }
  return { logouts, serverErrors };
}

/** Waits until the app itself says the access token has expired (no refresh involved). */
async function waitForExpiry(page: Page) {
  await expect
    .poll(() => page.evaluate(async () => (await fetch('/api/me', { cache: 'no-store' })).status), {
      timeout: 30_000,
      intervals: [500],
    })
    .toBe(401);
}

async function refreshCookieValue(context: BrowserContext) {
  return (await authCookies(context)).sk_refresh_token?.value;
}

test.describe('seamless refresh', () => {
  test('three tabs for 60 s while tokens expire: no logouts, one refresh per token lifetime, not per tab', async ({
    context,
  }) => {
    test.setTimeout(180_000);
    const TTL_MS = 10_000;
    await setTokenTtl(TTL_MS / 1000);
    const first = await context.newPage();
    await signIn(first);
    const tabs = [first, await context.newPage(), await context.newPage()];
    for (const tab of tabs.slice(1)) {
      await tab.goto('/dashboard');
      await expect(tab.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
    }
    const { logouts, serverErrors } = watch(tabs);
    await resetStats();

    const started = Date.now();
    let checks = 0;
    for (let round = 0; Date.now() - started < 62_000; round++) {
      const tab = tabs[round % tabs.length]!;
      if (round % 3 === 0) {
        // A server-rendered navigation: requireSession() verifies the token on the server.
        await tab.goto(round % 2 ? '/' : '/dashboard');
        await expect(tab.getByTestId('user-button')).toHaveAccessibleName(/Alice Admin/);
        if (!tab.url().endsWith('/dashboard')) await tab.goto('/dashboard');
      } else {
        // A browser-side API call through fetchWithRefresh.
        await tab.getByRole('button', { name: 'Check session from the browser' }).click();
        await expect(tab.getByTestId('session-check')).toHaveText(
          `Signed in as ${E2E.users.alice.email}`,
        );
        checks++;
      }
      await tab.waitForTimeout(700);
    }
    const elapsed = Date.now() - started;
    const { refreshRequests } = await idpStats();

    expect(logouts).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(checks).toBeGreaterThan(20);
    for (const tab of tabs) {
      await tab.goto('/dashboard');
      await expect(tab.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
    }
    // Each token is refreshed once, refreshDelay(TTL) after it was issued (half its life for
    // tokens this short), by one tab: about elapsed / 5 s refreshes. One per tab would be 3×.
    const perToken = refreshDelay(TTL_MS);
    const lifetimes = elapsed / perToken;
    const summary = `${refreshRequests} token refreshes in ${Math.round(elapsed / 1000)} s (${lifetimes.toFixed(1)} token lifetimes of ${perToken / 1000} s, ${Math.floor(elapsed / TTL_MS)} expiries)`;
    test.info().annotations.push({ type: 'refreshes', description: summary });
    console.log(`three tabs: ${summary}, ${checks} browser API calls, 0 logouts`);
    expect(refreshRequests).toBeGreaterThanOrEqual(Math.floor(elapsed / TTL_MS));
    expect(refreshRequests).toBeLessThanOrEqual(Math.ceil(lifetimes) + 2);
  });

  test('without Web Locks the tabs still share one session: no logouts', async ({ browser }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext();
    // Browsers without the Web Locks API (or pages outside a secure context) take the fallback.
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
    });
    const TTL_MS = 6_000;
    await setTokenTtl(TTL_MS / 1000);
    const first = await context.newPage();
    await signIn(first);
    expect(await first.evaluate(() => 'locks' in navigator && navigator.locks)).toBeFalsy();
    const tabs = [first, await context.newPage(), await context.newPage()];
    for (const tab of tabs.slice(1)) await tab.goto('/dashboard');
    const { logouts, serverErrors } = watch(tabs);
    await resetStats();
    const started = Date.now();
    for (let round = 0; Date.now() - started < 25_000; round++) {
      const tab = tabs[round % tabs.length]!;
      await tab.goto('/dashboard');
      await expect(tab.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
      await tab.waitForTimeout(1_000);
    }
    const elapsed = Date.now() - started;
    const { refreshRequests } = await idpStats();
    expect(logouts).toEqual([]);
    expect(serverErrors).toEqual([]);
    // Without the lock a second tab may refresh too; never one refresh per tab per lifetime.
    expect(refreshRequests).toBeLessThan((tabs.length * elapsed) / refreshDelay(TTL_MS));
    await context.close();
  });

  test('50 parallel requests with one expired session: 1 token-endpoint call, 50 successes, still signed in', async ({
    page,
    context,
  }) => {
    await setTokenTtl(2);
    await signIn(page);
    // Leave the app's pages so no refresher runs, and let the token expire.
    await page.goto('/api/me');
    await waitForExpiry(page);
    await setTokenTtl(300);
    await resetStats();

    // Fifty requests carrying this browser's cookies at the same moment. (Sent from the browser,
    // Chromium queues them six at a time and the later ones already carry the rotated cookie,
    // which is a fresh token legitimately refreshed again; here all fifty hold the same one.)
    const cookie = (await context.cookies(`${E2E.appUrl}/api/refresh`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${E2E.appUrl}/api/refresh`, {
          method: 'POST',
          headers: { cookie, 'sec-fetch-site': 'same-origin' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await idpStats()).toEqual({ tokenRequests: 1, refreshRequests: 1 });

    // The browser itself still holds the old, now spent token: the next navigation is served
    // the same new tokens from the server's grace period, with no second exchange.
    await page.goto('/dashboard');
    await expect(page.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
    await page.getByRole('button', { name: 'Check session from the browser' }).click();
    await expect(page.getByTestId('session-check')).toHaveText(
      `Signed in as ${E2E.users.alice.email}`,
    );
    expect(await idpStats()).toEqual({ tokenRequests: 1, refreshRequests: 1 });
  });

  test('an API call after the timer slept (laptop lid closed) refreshes once and succeeds', async ({
    page,
  }) => {
    await setTokenTtl(2);
    // The page's timers stand still from here on, as in a sleeping laptop.
    await page.clock.install();
    await signIn(page);
    await page.clock.pauseAt(Date.now() + 1_000);
    await waitForExpiry(page);
    await setTokenTtl(300);
    const { logouts } = watch([page]);
    const refreshes: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/refresh')) refreshes.push(r.status());
    });

    await page.getByRole('button', { name: 'Check session from the browser' }).click();
    await expect(page.getByTestId('session-check')).toHaveText(
      `Signed in as ${E2E.users.alice.email}`,
    );
    expect(refreshes).toEqual([200]);
    expect(logouts).toEqual([]);
  });

  test('a stolen refresh token replayed after rotation ends the session with a readable message', async ({
    page,
    context,
    playwright,
  }) => {
    test.setTimeout(90_000);
    await setTokenTtl(6);
    await signIn(page);
    const stolen = await refreshCookieValue(context);
    // The refresher rotates the token (at half its 6 s life); the stolen copy is now spent.
    await page.waitForResponse(
      (r) => r.url().endsWith('/api/refresh') && r.request().method() === 'POST' && r.ok(),
    );
    expect(await refreshCookieValue(context)).not.toBe(stolen);
    const { serverErrors } = watch([page]);
    // Past the server's 10 s grace period, in which the old token would still be honoured.
    await page.waitForTimeout(11_000);

    const attacker = await playwright.request.newContext({ baseURL: E2E.appUrl });
    const replay = await attacker.post('/api/refresh', {
      headers: { cookie: `sk_refresh_token=${stolen}` },
    });
    expect(replay.status()).toBe(401);
    expect(await replay.json()).toEqual({ error: 'session_ended', code: 'refresh_token_invalid' });
    await attacker.dispose();

    // The IdP revoked the whole family: the user's next refresh is refused, and the tab says so.
    await expect(page.getByRole('heading', { name: 'Your session ended' })).toBeVisible({
      timeout: 15_000,
    });
    await expect(page.getByText('For your security you were signed out.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in again' })).toBeVisible();
    expect(Object.keys(await authCookies(context))).toEqual([]);
    expect(serverErrors).toEqual([]);
  });

  test('IdP down during refresh: "briefly unavailable", session kept; IdP back: next navigation refreshes, no sign-in', async ({
    page,
    context,
  }) => {
    await setTokenTtl(3);
    await signIn(page);
    const { serverErrors } = watch([page]);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    await setFault('503');
    // The token expires while every refresh attempt fails.
    await page.waitForTimeout(3_000 + CLOCK_TOLERANCE_MS + 1_000);

    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/auth\/error\?code=idp_unavailable/);
    await expect(
      page.getByRole('heading', { name: 'The sign-in service is briefly unavailable' }),
    ).toBeVisible();
    await expect(page.getByText('Your session is kept')).toBeVisible();
    expect(Object.keys(await authCookies(context)).sort()).toEqual([...AUTH_COOKIES].sort());

    await setFault('none');
    await page.getByRole('link', { name: 'Try again' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
    expect(navigations.filter((url) => url.startsWith(E2E.idpUrl))).toEqual([]);
    // The outage showed as a page, never as a server error.
    expect(serverErrors.filter((e) => !e.includes('/api/refresh'))).toEqual([]);
  });

  test('a link from another site to a page whose token expired lands there signed in', async ({
    page,
  }) => {
    await setTokenTtl(2);
    await signIn(page);
    // A page on another site (an email, a chat) linking to the dashboard.
    await page.route('http://partner.test/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<a href="${E2E.appUrl}/dashboard">Open the dashboard</a>`,
      }),
    );
    await page.goto('/api/me');
    await waitForExpiry(page);
    await setTokenTtl(300);
    await page.goto('http://partner.test/');
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(new URL(f.url()).pathname);
    });

    await page.getByRole('link', { name: 'Open the dashboard' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
    expect(navigations).toContain('/auth/continue');
    expect(navigations.filter((p) => p.startsWith('/auth/error') || p === '/login')).toEqual([]);
  });
});
