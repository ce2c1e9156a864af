import { expect, test, type Page } from '@playwright/test';
import { E2E } from './env';
import { authCookies, signIn, signInOnIdp, tabTo } from './helpers';

// Issue 13's components as a visitor meets them: SocialButton, the /sign-in page and its two
// views, and the UserButton in its three layouts (header, open sidebar, folded sidebar).

const hint = (page: Page, name: string) =>
  page.getByTestId('idp-hints').locator(`[data-hint="${name}"]`);

test.describe('/sign-in page', () => {
  test('a deep link signs in end to end and lands on its returnTo', async ({ page }) => {
    await page.goto('/sign-in?returnTo=%2Fdashboard%2Fsidebar%3Fcollapsed%3D1');
    await expect(page).toHaveTitle('Sign in');
    const card = page.getByTestId('auth-card');
    await expect(card.getByRole('heading', { level: 1, name: 'Sign in to Acme' })).toBeVisible();
    await card.getByRole('link', { name: 'Continue to sign in' }).click();
    await signInOnIdp(page, E2E.users.bob);
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard/sidebar?collapsed=1`);
    await expect(page.getByRole('heading', { name: 'Sidebar demo' })).toBeVisible();
  });

  test('a SocialButton goes straight to the hosted page with its provider, and back to returnTo', async ({
    page,
  }) => {
    await page.goto('/sign-in?returnTo=/admin');
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    await expect(hint(page, 'provider')).toHaveText('google');
    await expect(hint(page, 'prompt')).toHaveCount(0);
    // The local IdP stands in for Google with its own form; the app's half is what counts.
    await signInOnIdp(page, E2E.users.alice);
    await expect(page).toHaveURL(`${E2E.appUrl}/admin`);
    await expect(page.getByRole('heading', { name: 'Organization admin' })).toBeVisible();
  });

  test('the sign-up view has its own address, asks for prompt=create, and switches back', async ({
    page,
  }) => {
    await page.goto('/sign-in?returnTo=/admin');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/sign-in?view=sign-up&returnTo=%2Fadmin`);
    await expect(page).toHaveTitle('Sign up');
    const card = page.getByTestId('auth-card');
    await expect(
      card.getByRole('heading', { level: 1, name: 'Create your account' }),
    ).toBeVisible();

    await card.getByRole('link', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/sign-in?returnTo=%2Fadmin`);
    await page.goBack();

    await card.getByRole('link', { name: 'Continue with GitHub' }).click();
    await expect(hint(page, 'provider')).toHaveText('github');
    await expect(hint(page, 'prompt')).toHaveText('create');
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await signInOnIdp(page, E2E.users.alice);
    await expect(page).toHaveURL(`${E2E.appUrl}/admin`);
  });

  test('a signed-in visitor goes on to returnTo; a hostile or looping returnTo goes to the dashboard', async ({
    page,
  }) => {
    await signIn(page, E2E.users.alice);
    await page.goto('/sign-in?returnTo=/admin');
    await expect(page).toHaveURL(`${E2E.appUrl}/admin`);
    for (const target of ['//evil.example/', 'https://evil.example/', '/sign-in', '/logout']) {
      await page.goto(`/sign-in?view=sign-up&returnTo=${encodeURIComponent(target)}`);
      await expect(page, target).toHaveURL(`${E2E.appUrl}/dashboard`);
    }
  });

  test('works without JavaScript: every choice is a link, SSO a plain GET form', async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/sign-in?returnTo=/admin');
    await expect(page.getByRole('link', { name: 'Continue with Microsoft' })).toHaveAttribute(
      'href',
      '/login?returnTo=%2Fadmin&provider=microsoft',
    );
    await page.getByLabel('Work email').fill('alice@example.com');
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    await expect(hint(page, 'login_hint')).toHaveText('alice@example.com');
    await signInOnIdp(page, E2E.users.alice);
    await expect(page).toHaveURL(`${E2E.appUrl}/admin`);
    await context.close();
  });

  test('with JavaScript, the SSO form also sends the domain hint; all of it by keyboard', async ({
    page,
  }) => {
    await page.goto('/sign-in');
    const email = page.getByLabel('Work email');
    await tabTo(page, email, 25);
    await page.keyboard.type('alice@example.com');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL((url) => url.href.startsWith(E2E.idpUrl));
    await expect(hint(page, 'login_hint')).toHaveText('alice@example.com');
    await expect(hint(page, 'domain_hint')).toHaveText('example.com');
  });
});

test.describe('UserButton layouts', () => {
  const layouts = [
    { layout: 'top-nav', path: '/dashboard', region: (p: Page) => p.getByRole('banner') },
    {
      layout: 'vertical-nav',
      path: '/dashboard/sidebar',
      region: (p: Page) => p.getByRole('navigation', { name: 'Sidebar' }),
    },
    {
      layout: 'collapsed',
      path: '/dashboard/sidebar?collapsed=1',
      region: (p: Page) => p.getByRole('navigation', { name: 'Sidebar' }),
    },
  ] as const;

  for (const { layout, path, region } of layouts) {
    test(`${layout}: opens the one menu by keyboard and signs out`, async ({ page, context }) => {
      await signIn(page, E2E.users.alice);
      await page.goto(path);
      const trigger = region(page).getByTestId('user-button');
      await expect(trigger).toHaveAttribute('data-layout', layout);
      await expect(trigger).toHaveAccessibleName('Account menu for Alice Admin');
      if (layout === 'vertical-nav') await expect(trigger).toContainText('alice@example.com');

      await tabTo(page, trigger, 25);
      await page.keyboard.press('Enter');
      const menu = page.getByRole('menu');
      await expect(menu).toBeVisible();
      await expect(menu.getByTestId('user-button-email')).toHaveText('alice@example.com');
      await expect(menu.getByRole('menuitem', { name: 'Dashboard' })).toBeFocused();

      // A header menu drops below its button; a sidebar's opens beside the sidebar.
      const [t, m] = [await trigger.boundingBox(), await menu.boundingBox()];
      if (layout === 'top-nav') expect(m!.y).toBeGreaterThanOrEqual(t!.y + t!.height);
      else expect(m!.x).toBeGreaterThanOrEqual(t!.x + t!.width);

      await menu.getByRole('menuitem', { name: 'Sign out' }).focus();
      const logout = page.waitForRequest((r) => new URL(r.url()).pathname === '/logout');
      await page.keyboard.press('Enter');
      expect((await logout).method()).toBe('POST');
      await expect(page).toHaveURL(`${E2E.appUrl}/`);
      expect(Object.keys(await authCookies(context))).toEqual([]);
    });
  }

  test('the sidebar folds to icons and unfolds, keeping every link named', async ({ page }) => {
    await signIn(page, E2E.users.bob);
    await page.getByRole('link', { name: 'Sidebar layout demo' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard/sidebar`);
    const sidebar = page.getByRole('navigation', { name: 'Sidebar' });
    await sidebar.getByRole('link', { name: 'Collapse sidebar' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/dashboard/sidebar?collapsed=1`);
    await expect(sidebar.getByRole('link', { name: 'Dashboard' })).toBeVisible();
    await expect(sidebar.getByRole('link', { name: 'Sidebar demo' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(sidebar.getByTestId('user-button')).toHaveAttribute('data-layout', 'collapsed');
    await sidebar.getByRole('link', { name: 'Expand sidebar' }).click();
    await expect(sidebar.getByTestId('user-button')).toHaveAttribute('data-layout', 'vertical-nav');
  });
});
