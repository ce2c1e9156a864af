import { expect, type BrowserContext, type Page } from '@playwright/test';
import { E2E } from './env';

export const AUTH_COOKIES = ['sk_access_token', 'sk_id_token', 'sk_refresh_token'] as const;

/** Fills the local IdP's hosted login form, the way a person would. */
export async function signInOnIdp(page: Page, user: { email: string; password: string }) {
  await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signIn(page: Page, user = E2E.users.alice) {
  await page.goto('/dashboard');
  await signInOnIdp(page, user);
  await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
}

export async function authCookies(context: BrowserContext) {
  const all = await context.cookies(E2E.appUrl + '/api/refresh');
  return Object.fromEntries(
    all.filter((c) => (AUTH_COOKIES as readonly string[]).includes(c.name)).map((c) => [c.name, c]),
  );
}
