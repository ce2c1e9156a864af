import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { E2E } from './env';
import { signIn } from './helpers';

/**
 * The response headers of lib/build/security-headers.ts, as `next start` really sends them, and a CSP
 * the app works under: pages render, the theme script runs, sign-out reaches the IdP, and the
 * browser reports no violation anywhere along the way.
 */

function expectSecurityHeaders(response: APIResponse, label: string) {
  const h = response.headers();
  expect(h['x-frame-options'], label).toBe('DENY');
  expect(h['content-security-policy'], label).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy'], label).toContain("object-src 'none'");
  expect(h['x-content-type-options'], label).toBe('nosniff');
  expect(['strict-origin-when-cross-origin', 'no-referrer'], label).toContain(h['referrer-policy']);
  expect(h['permissions-policy'], label).toContain('camera=()');
}

/** Every CSP violation the page reports, from before its first script runs. */
async function recordCspViolations(page: Page) {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    // Only this app's documents: the IdP's hosted pages are under the IdP's own policy.
    const onApp =
      page.url().startsWith(E2E.appUrl) || message.location().url.startsWith(E2E.appUrl);
    if (onApp && /Content Security Policy|Refused to/i.test(message.text())) {
      fromConsole.push(message.text());
    }
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return async () => {
    const inPage = await page
      .evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
      .catch(() => [] as string[]);
    return [...fromConsole, ...inPage];
  };
}

test('every kind of response carries the headers, signed out', async ({ request }) => {
  const cases: [string, () => Promise<APIResponse>][] = [
    ['GET /', () => request.get('/', { maxRedirects: 0 })],
    ['GET /dashboard (gate redirect)', () => request.get('/dashboard', { maxRedirects: 0 })],
    ['GET /login', () => request.get('/login', { maxRedirects: 0 })],
    ['GET /api/refresh', () => request.get('/api/refresh', { maxRedirects: 0 })],
    ['POST /api/refresh', () => request.post('/api/refresh', { maxRedirects: 0 })],
    ['GET /auth/error', () => request.get('/auth/error?code=session_ended')],
    ['GET /no-such-page', () => request.get('/no-such-page')],
  ];
  for (const [label, send] of cases) {
    const response = await send();
    expect(response.status(), label).toBeLessThan(500);
    expectSecurityHeaders(response, label);
  }
  const refresh = await request.get('/api/refresh', { maxRedirects: 0 });
  expect(refresh.headers()['referrer-policy']).toBe('no-referrer');
});

test('signed in: /dashboard and /api/refresh carry the headers too', async ({ page }) => {
  await signIn(page);
  const dashboard = await page.request.get('/dashboard', { maxRedirects: 0 });
  expect(dashboard.status()).toBe(200);
  expectSecurityHeaders(dashboard, '/dashboard signed in');
  const refresh = await page.request.post('/api/refresh', {
    headers: { origin: E2E.appUrl },
    maxRedirects: 0,
  });
  expect(refresh.status()).toBe(200);
  expectSecurityHeaders(refresh, 'POST /api/refresh signed in');
});

test('the app cannot be framed by another site', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes("frame-ancestors 'none'")) refused.push(message.text());
  });
  // Another origin (the IdP's) embeds the app's home page.
  await page.goto(`${E2E.idpUrl}/.well-known/openid-configuration`);
  await page.setContent(`<iframe src="${E2E.appUrl}/"></iframe>`);
  await expect.poll(() => refused.length).toBeGreaterThan(0);
  const framed = page.frames().find((f) => f.url().startsWith(E2E.appUrl));
  expect(
    (await framed
      ?.locator('h1')
      .count()
      .catch(() => 0)) ?? 0,
  ).toBe(0);
});

test('pages render under the CSP with no violation: home, sign-in, dashboard, theme, sign-out', async ({
  page,
}) => {
  const violations = await recordCspViolations(page);
  await page.goto('/');
  await expect(page.locator('h1')).toBeVisible();
  // next-themes' inline script ran before paint: <html> has a theme class.
  await expect(page.locator('html')).toHaveClass(/\b(light|dark)\b/);
  expect(await violations()).toEqual([]);

  await signIn(page);
  await page.goto('/dashboard');
  await expect(page.getByTestId('user-email')).toHaveText(E2E.users.alice.email);
  expect(await violations()).toEqual([]);

  await page.goto('/auth/error?code=session_ended');
  await expect(page.getByTestId('auth-error')).toBeVisible();
  expect(await violations()).toEqual([]);

  // The sign-out form POSTs to /logout, which redirects to the IdP: form-action must allow it.
  await page.goto('/dashboard');
  const signOut = page.getByRole('button', { name: /sign out/i });
  if (await signOut.isVisible()) {
    await signOut.click();
  } else {
    await page
      .getByRole('button', { name: /account|user|alice/i })
      .first()
      .click();
    await page.getByRole('menuitem', { name: /sign out/i }).click();
  }
  await page.waitForURL(
    (url) => url.href.startsWith(E2E.appUrl) && !url.pathname.startsWith('/dashboard'),
  );
  expect(await violations()).toEqual([]);
});
