import { expect, test, type Page } from '@playwright/test';
import { E2E } from './env';
import { signIn } from './helpers';

// The dashboard calls examples/api-server (a separate origin) with the access token from
// /api/access-token; the API verifies it against the IdP's JWKS and checks a permission.

function countTokenRequests(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/access-token') seen.push(r.method());
  });
  return seen;
}

test.describe('Call the API', () => {
  test('alice: the API answers with her user id; both calls shared one token request', async ({
    page,
  }) => {
    await signIn(page, E2E.users.alice);
    const tokenRequests = countTokenRequests(page);
    const userId = await page.getByTestId('user-id').textContent();
    expect(userId).toMatch(/^usr_/);

    await page.getByRole('button', { name: 'Call the API' }).click();
    const me = page.getByTestId('api-result-me');
    await expect(me).toHaveAttribute('data-status', '200');
    await expect(me).toContainText(`"userId": "${userId}"`);
    await expect(page.getByTestId('api-result-invitations')).toHaveAttribute('data-status', '200');
    expect(tokenRequests).toEqual(['GET']);

    // A second click reuses the cached token: still one request.
    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(me).toHaveAttribute('data-status', '200');
    expect(tokenRequests).toEqual(['GET']);
  });

  test('bob: 200 where he has the permission, a readable 403 where he lacks it', async ({
    page,
  }) => {
    await signIn(page, E2E.users.bob);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(page.getByTestId('api-result-me')).toHaveAttribute('data-status', '200');
    const invitations = page.getByTestId('api-result-invitations');
    await expect(invitations).toHaveAttribute('data-status', '403');
    await expect(invitations).toContainText('insufficient_permission');
    await expect(invitations).toContainText('members:invite');
  });

  test('the API refuses a call without a token, or with a made-up one', async ({ request }) => {
    const none = await request.get(`${E2E.apiUrl}/api/me`);
    expect(none.status()).toBe(401);
    expect(await none.json()).toEqual({ error: 'missing_token' });
    const fake = await request.get(`${E2E.apiUrl}/api/me`, {
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfMSJ9.' },
    });
    expect(fake.status()).toBe(401);
  });
});

test.describe('GET /api/access-token', () => {
  test('answers this app’s own pages, uncached', async ({ page }) => {
    await signIn(page, E2E.users.alice);
    const result = await page.evaluate(async () => {
      const r = await fetch('/api/access-token');
      return { status: r.status, cache: r.headers.get('cache-control'), body: await r.json() };
    });
    expect(result.status).toBe(200);
    expect(result.cache).toContain('no-store');
    expect(result.body.accessToken.split('.')).toHaveLength(3);
  });

  for (const [label, origin] of [
    // Another port on localhost is the same *site* (cookies go along), but not this app.
    ['a sibling origin on the same site', E2E.apiUrl],
    // 127.0.0.1 and localhost are different sites.
    ['another site', E2E.apiUrl.replace('localhost', '127.0.0.1')],
  ] as const) {
    test(`refuses a script on ${label}, even with the user's cookies`, async ({ page }) => {
      await signIn(page, E2E.users.alice);
      await page.goto(`${origin}/health`);
      const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/access-token');
      await page.evaluate(async (url) => {
        // What an attacker's page would try. CORS keeps the answer from it anyway (hence
        // no-cors: the request still goes out); the route must not even produce a token.
        await fetch(url, { credentials: 'include', mode: 'no-cors' });
      }, `${E2E.appUrl}/api/access-token`);
      // The body of an opaque answer is not readable here; tests/access-token-route.test.ts
      // checks it holds no token.
      expect((await answer).status()).toBe(403);
    });
  }
});
