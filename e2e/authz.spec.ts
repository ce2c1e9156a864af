import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { signIn, signInOnIdp } from './helpers';

// requireRole('admin') on /admin: a 403 page for members, sign-in for visitors.

test.describe('admin-only page', () => {
  test('alice (admin) opens it from her dashboard', async ({ page }) => {
    await signIn(page, E2E.users.alice);
    await page.getByRole('link', { name: 'Organization admin' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/admin`);
    await expect(page.getByRole('heading', { name: 'Organization admin' })).toBeVisible();
    await expect(page.getByTestId('admin-org')).toHaveText('org_01HACME00000000000000001');
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(200);
  });

  test('bob (member) gets a readable 403 page, and no link to it', async ({ page }) => {
    await signIn(page, E2E.users.bob);
    await expect(page.getByRole('link', { name: 'Organization admin' })).toHaveCount(0);
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(403);
    await expect(
      page.getByRole('heading', { name: "You don't have access to this page" }),
    ).toBeVisible();
    await expect(page.getByText('ask an admin of your organization')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Organization admin' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Back to your dashboard' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
  });

  test('a signed-out visitor is sent to sign in, and comes back to it', async ({ page }) => {
    await page.goto('/admin');
    await signInOnIdp(page, E2E.users.alice);
    await expect(page).toHaveURL(`${E2E.appUrl}/admin`);
    await expect(page.getByRole('heading', { name: 'Organization admin' })).toBeVisible();
  });
});
