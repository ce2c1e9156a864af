import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { authCookies, signIn, signInOnIdp, tabTo } from './helpers';

// The component kit (components/auth) as a visitor meets it: header buttons, the dialog and its
// three ways to the hosted page, the user menu, and the notice after signing out.

test.describe('auth components', () => {
  test('signed out, the header offers Sign in and Sign up; signed in, the UserButton — already in the server HTML', async ({
    page,
    context,
    browser,
  }) => {
    await page.goto('/');
    const header = page.getByRole('banner');
    await expect(header.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(header.getByRole('button', { name: 'Sign up' })).toBeVisible();
    await expect(page.getByTestId('user-button')).toHaveCount(0);
    await expect(
      page.getByTestId('hero-actions').getByRole('link', { name: 'Sign in' }),
    ).toBeVisible();

    await header.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Continue to sign in' }).click();
    await signInOnIdp(page, E2E.users.alice);

    // Back where sign-in started, now signed in.
    await expect(page).toHaveURL(`${E2E.appUrl}/`);
    await expect(page.getByTestId('user-button')).toBeVisible();
    await expect(header.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
    await expect(header.getByRole('button', { name: 'Sign up' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Go to your dashboard' })).toBeVisible();

    // No loading flash: with JavaScript off, what the server sent is already the signed-in
    // header (no sign-in buttons, no loading placeholder).
    const noJs = await browser.newContext({
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    const firstPaint = await noJs.newPage();
    await firstPaint.goto('/');
    await expect(firstPaint.getByTestId('user-button')).toBeVisible();
    await expect(firstPaint.getByRole('button', { name: /Sign (in|up)/ })).toHaveCount(0);
    await expect(firstPaint.getByRole('status', { name: 'Renewing your session' })).toHaveCount(0);
    await noJs.close();
  });

  test('controls that need JavaScript say they are not ready until hydration, then work', async ({
    page,
    context,
    browser,
  }) => {
    // Before hydration a click on these would be swallowed; the server HTML marks them
    // aria-disabled instead. Links (redirect mode) work without JavaScript and are never marked.
    const html = async (path: string) => {
      const noJs = await browser.newContext({
        javaScriptEnabled: false,
        storageState: await context.storageState(),
      });
      const p = await noJs.newPage();
      await p.goto(path);
      return { page: p, close: () => noJs.close() };
    };

    const signedOut = await html('/');
    const banner = signedOut.page.getByRole('banner');
    for (const name of ['Sign in', 'Sign up', 'Theme']) {
      await expect(banner.getByRole('button', { name }), name).toHaveAttribute(
        'aria-disabled',
        'true',
      );
    }
    await expect(
      signedOut.page.getByTestId('hero-actions').getByRole('link', { name: 'Sign in' }),
    ).not.toHaveAttribute('aria-disabled');
    await signedOut.close();

    await page.goto('/');
    for (const name of ['Sign in', 'Sign up', 'Theme']) {
      await expect(page.getByRole('banner').getByRole('button', { name }), name).toBeEnabled();
    }

    await signIn(page, E2E.users.alice);
    const dashboard = await html('/dashboard');
    await expect(dashboard.page.getByTestId('user-button')).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await expect(dashboard.page.getByRole('button', { name: 'Call the API' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await dashboard.close();

    await expect(page.getByTestId('user-button')).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Call the API' })).toBeEnabled();

    // A slow network: the HTML is there long before its JavaScript. A click as soon as the
    // button shows waits for it to be ready, and is not lost.
    await page.route(
      (url) => url.pathname.startsWith('/_next/static/') && url.pathname.endsWith('.js'),
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await route.continue();
      },
    );
    await page.goto('/dashboard', { waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(page.getByTestId('api-result-me')).toHaveAttribute('data-status', '200');
  });

  test('the dialog opens from the header, keeps focus inside, and closes with Escape', async ({
    page,
  }) => {
    await page.goto('/');
    const trigger = page.getByRole('banner').getByRole('button', { name: 'Sign in' });
    await trigger.click();
    const dialog = page.getByRole('dialog', { name: 'Sign in to Acme' });
    await expect(dialog).toBeVisible();
    // Radix focuses the first field, not a link: typing a work email is one step away.
    await expect(dialog.getByLabel('Work email')).toBeFocused();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(trigger).toBeFocused();
  });

  test('Sign in with SSO passes the work email to the IdP as login and domain hints', async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Work email').fill('alice@example.com');
    await dialog.getByRole('button', { name: 'Sign in with SSO' }).click();

    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    const hints = page.getByTestId('idp-hints');
    await expect(hints.locator('[data-hint="login_hint"]')).toHaveText('alice@example.com');
    await expect(hints.locator('[data-hint="domain_hint"]')).toHaveText('example.com');
    // The hosted page prefills the email it was given.
    await expect(page.getByLabel('Email')).toHaveValue('alice@example.com');
  });

  test('a social button passes its provider to the IdP', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Continue with GitHub' }).click();
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    await expect(page.getByTestId('idp-hints').locator('[data-hint="provider"]')).toHaveText(
      'github',
    );
  });

  test('Sign up reaches the hosted sign-up view (prompt=create)', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('banner').getByRole('button', { name: 'Sign up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create your account' });
    await dialog.getByRole('link', { name: 'Continue to sign up' }).click();
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expect(page.getByTestId('idp-hints').locator('[data-hint="prompt"]')).toHaveText(
      'create',
    );
  });

  test('useAuthDialog switches views inside the dialog', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create an account' }).click();
    await expect(page.getByRole('dialog', { name: 'Create your account' })).toBeVisible();
  });

  test('redirect mode goes straight to hosted login and comes back to its returnTo', async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByTestId('hero-actions').getByRole('link', { name: 'Sign in' }).click();
    await signInOnIdp(page, E2E.users.bob);
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText('bob@example.com');
  });

  test('UserButton shows alice’s name, email and organization and signs out by keyboard alone, with a POST', async ({
    page,
    context,
  }) => {
    await signIn(page, E2E.users.alice);
    await page.goto('/');
    const trigger = page.getByTestId('user-button');
    await expect(trigger).toHaveAccessibleName('Account menu for Alice Admin');

    await tabTo(page, trigger);
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByTestId('user-button-name')).toHaveText('Alice Admin');
    await expect(menu.getByTestId('user-button-email')).toHaveText('alice@example.com');
    await expect(menu.getByTestId('user-button-org')).toHaveText('org_01HACME00000000000000001');
    await expect(menu.getByRole('menuitem', { name: 'Dashboard' })).toBeFocused();

    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Sessions' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Switch organization' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
    const logout = page.waitForRequest((r) => new URL(r.url()).pathname === '/logout');
    await page.keyboard.press('Enter');
    expect((await logout).method()).toBe('POST');

    await expect(page).toHaveURL(`${E2E.appUrl}/`);
    expect(Object.keys(await authCookies(context))).toEqual([]);
    await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in' })).toBeVisible();
  });

  test('the user menu links to the dashboard', async ({ page }) => {
    await signIn(page, E2E.users.alice);
    await page.goto('/');
    await page.getByTestId('user-button').click();
    await page.getByRole('menuitem', { name: 'Dashboard' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard`);
  });

  test('"Switch organization" is a plain link to the hosted organization picker that returns to this page', async ({
    page,
  }) => {
    await signIn(page, E2E.users.alice);
    await page.goto('/dashboard');
    await page.getByTestId('user-button').click();
    await expect(page.getByRole('menuitem', { name: 'Switch organization' })).toHaveAttribute(
      'href',
      '/login?returnTo=%2Fdashboard&prompt=select_account',
    );
  });

  test('after signing out, AuthNotice says so once and can be dismissed', async ({ page }) => {
    await signIn(page, E2E.users.bob);
    await page.getByTestId('user-button').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/`);

    const notice = page.getByTestId('auth-notice');
    await expect(notice).toHaveAttribute('role', 'status');
    await expect(notice).toContainText('You are signed out');
    // Clicked again if the first click landed before hydration, as a person would.
    await expect(async () => {
      await notice.getByRole('button', { name: 'Dismiss' }).click({ timeout: 1_000 });
      await expect(notice).toHaveCount(0, { timeout: 1_000 });
    }).toPass();
    // Shown once: a reload does not bring it back.
    await page.reload();
    await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByTestId('auth-notice')).toHaveCount(0);
  });

  test('AuthNotice renders any flow outcome from lib/auth/outcomes.ts, and nothing it does not know', async ({
    page,
    context,
  }) => {
    const notice = (value: string) =>
      context.addCookies([{ name: 'auth_notice', value, url: E2E.appUrl }]);

    await notice('access_denied');
    await page.goto('/');
    const banner = page.getByTestId('auth-notice');
    await expect(banner).toHaveAttribute('role', 'alert');
    await expect(banner).toContainText('Sign-in was cancelled');

    // The cookie is page-writable, so its text is never shown: only known codes map to a message.
    await notice(encodeURIComponent('<img src=x onerror=alert(1)>Account locked, call 555-0100'));
    await page.goto('/');
    await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByTestId('auth-notice')).toHaveCount(0);
    await expect(page.getByText('555-0100')).toHaveCount(0);
  });
});
