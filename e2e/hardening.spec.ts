import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { authCookies, signIn, signInOnIdp } from './helpers';

test('a user with a very large token (200 permissions) signs in through chunked cookies', async ({
  page,
  context,
}) => {
  await signIn(page, E2E.users.dave);
  await expect(page.getByTestId('user-permissions')).toContainText('project-100:write');
  const names = (await context.cookies(E2E.appUrl)).map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining(['sk_access_token.0', 'sk_access_token.1']));
  expect(names).not.toContain('sk_access_token');
  // Each chunk stays well under the browser's 4 KB per-cookie limit.
  for (const cookie of await context.cookies(E2E.appUrl)) {
    expect(cookie.name.length + cookie.value.length).toBeLessThan(4096);
    expect(cookie.httpOnly).toBe(true);
  }
});

test('two tabs signing in at the same time both complete', async ({ context }) => {
  const tabA = await context.newPage();
  const tabB = await context.newPage();
  await tabA.goto('/login?returnTo=%2Fdashboard%3Ftab%3Da');
  await tabB.goto('/login?returnTo=%2Fdashboard%3Ftab%3Db');
  await signInOnIdp(tabB, E2E.users.bob);
  await expect(tabB).toHaveURL(`${E2E.appUrl}/dashboard?tab=b`);
  await signInOnIdp(tabA, E2E.users.bob);
  await expect(tabA).toHaveURL(`${E2E.appUrl}/dashboard?tab=a`);
  await expect(tabA.getByTestId('user-email')).toHaveText('bob@example.com');
});

test('a /logout link on another site signs nobody out', async ({ page, context }) => {
  await signIn(page);
  // The IdP's origin is a different origin than the app: a link from there is not same-origin.
  await page.goto(`${E2E.idpUrl}/.well-known/openid-configuration`);
  await page.setContent(`<a href="${E2E.appUrl}/logout">win a prize</a>`);
  await page.getByRole('link', { name: 'win a prize' }).click();
  await expect(page.getByTestId('auth-error')).toContainText('Request blocked');
  expect(Object.keys(await authCookies(context)).sort()).toEqual([
    'sk_access_token',
    'sk_id_token',
    'sk_refresh_token',
  ]);
  await page.goto('/dashboard');
  await expect(page.getByTestId('user-email')).toHaveText('alice@example.com');
});

test('auth responses are never cached', async ({ request }) => {
  for (const path of ['/login', '/api/callback?code=x&state=y', '/logout']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
    expect(response.headers()['cache-control'], path).toContain('no-store');
  }
});
