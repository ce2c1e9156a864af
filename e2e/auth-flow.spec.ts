import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { AUTH_COOKIES, authCookies, signIn, signInOnIdp } from './helpers';

test.describe('hosted login flow', () => {
  test('signed-out /dashboard goes to hosted login, and signing in lands on the dashboard', async ({
    page,
  }) => {
    await page.goto('/dashboard');
    await expect(page).toHaveURL((url) => url.href.startsWith(`${E2E.idpUrl}/`));
    await expect(page.getByLabel('Email')).toBeVisible();

    await signInOnIdp(page, E2E.users.alice);

    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText('alice@example.com');
    await expect(page.getByTestId('user-name')).toHaveText(/Alice/);
    await expect(page.getByTestId('user-org')).toHaveText(/^org_/);
    await expect(page.getByTestId('user-roles')).toContainText('admin');
  });

  test('session cookies are HttpOnly JWEs, and the refresh token is scoped to /api/refresh', async ({
    page,
    context,
  }) => {
    await signIn(page);
    const cookies = await authCookies(context);
    for (const name of AUTH_COOKIES) {
      const cookie = cookies[name];
      expect(cookie, `${name} is set`).toBeDefined();
      expect(cookie!.httpOnly, `${name} is HttpOnly`).toBe(true);
      expect(cookie!.sameSite).toBe('Lax');
      // A compact JWE has five parts; a raw JWT has three and would start with a readable header.
      expect(cookie!.value.split('.'), `${name} is a JWE`).toHaveLength(5);
      expect(
        JSON.parse(Buffer.from(cookie!.value.split('.')[0]!, 'base64url').toString()),
      ).toMatchObject({
        alg: 'dir',
        enc: 'A256GCM',
      });
    }
    expect(cookies.sk_refresh_token!.path).toBe('/api/refresh');
    expect(cookies.sk_access_token!.path).toBe('/');
    expect(cookies.sk_id_token!.path).toBe('/');
    // Nothing readable from page script.
    expect(await page.evaluate(() => document.cookie)).not.toContain('sk_');
  });

  test('a wrong password shows an error on the hosted login page and creates no session', async ({
    page,
    context,
  }) => {
    await page.goto('/login');
    await signInOnIdp(page, { email: 'alice@example.com', password: 'not-her-password' });
    await expect(page.getByText('Invalid email or password.')).toBeVisible();
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    expect(Object.keys(await authCookies(context))).toEqual([]);
  });

  test('sign out clears every auth cookie, and /dashboard then asks to sign in again', async ({
    page,
    context,
  }) => {
    await signIn(page);
    await page.goto('/');
    // Sign-out lives in the user menu (components/auth/user-button.tsx).
    await page.getByTestId('user-button').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/`);
    await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
    expect(Object.keys(await authCookies(context))).toEqual([]);

    await page.goto('/dashboard');
    // The IdP session ended too: the login form shows instead of a silent sign-in.
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('returnTo survives the round trip through the IdP', async ({ page }) => {
    await page.goto('/login?returnTo=%2Fdashboard%3Ftab%3Dprofile');
    await signInOnIdp(page, E2E.users.bob);
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard?tab=profile`);
    await expect(page.getByTestId('user-email')).toHaveText('bob@example.com');
    await expect(page.getByTestId('user-roles')).toHaveText('member');
  });

  test('a forged callback lands on a readable error page and sets no session', async ({
    page,
    context,
  }) => {
    await page.goto('/api/callback?code=forged-code&state=forged-state');
    await expect(page).toHaveURL(/\/auth\/error\?code=/);
    await expect(page.getByTestId('auth-error')).toContainText(/sign-in/i);
    await expect(page.getByRole('link', { name: 'Sign in again' })).toBeVisible();
    expect(Object.keys(await authCookies(context))).toEqual([]);
  });

  test('an error answered by the IdP does not loop back into /login', async ({ page }) => {
    await page.goto('/api/callback?error=access_denied&state=x');
    await expect(page).toHaveURL(/\/auth\/error\?code=access_denied/);
    await expect(page.getByRole('heading')).toHaveText('Sign-in was cancelled');
  });
});
