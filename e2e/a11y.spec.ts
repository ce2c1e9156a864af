import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { E2E } from './env';
import { signIn } from './helpers';

// axe on every surface of the kit, in both themes, and the README's screenshots from the same
// states. Only serious and critical findings fail the run; the rest is printed for review.

// README screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1), so a test run leaves
// the working tree as it found it.
const SCREENSHOTS = 'docs/screenshots';
async function screenshot(page: Page, name: string, fullPage = false) {
  if (process.env.UPDATE_SCREENSHOTS)
    await page.screenshot({ path: `${SCREENSHOTS}/${name}`, fullPage });
}

async function expectNoSeriousViolations(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = violations.filter((v) => !serious.includes(v));
  if (minor.length) {
    console.log(`[axe] ${label}: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  }
  expect(
    serious.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) })),
    label,
  ).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test('landing page and the open sign-in dialog', async ({ page }) => {
      await page.goto('/');
      const html = expect(page.locator('html'));
      if (theme === 'dark') await html.toHaveClass(/\bdark\b/);
      else await html.not.toHaveClass(/\bdark\b/);
      await expectNoSeriousViolations(page, `/ (${theme})`);
      await screenshot(page, `home-${theme}.png`);

      await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      // Let the open animation finish so axe measures final colors.
      await expect(dialog).toHaveCSS('opacity', '1');
      await expectNoSeriousViolations(page, `dialog (${theme})`);
      await screenshot(page, `dialog-${theme}.png`);
    });

    test('dashboard and the open user menu', async ({ page }) => {
      await signIn(page, E2E.users.alice);
      await page.getByRole('button', { name: 'Call the API' }).click();
      await expect(page.getByTestId('api-result-me')).toHaveAttribute('data-status', '200');
      await expectNoSeriousViolations(page, `/dashboard (${theme})`);
      await screenshot(page, `dashboard-${theme}.png`, true);

      await page.getByTestId('user-button').click();
      const menu = page.getByRole('menu');
      await expect(menu).toBeVisible();
      await expect(menu).toHaveCSS('opacity', '1');
      await expectNoSeriousViolations(page, `user menu (${theme})`);
    });

    // Issue 13's components: the /sign-in card (its SocialButtons and both views) and the
    // UserButton's sidebar layouts with the menu open. Screenshots are cropped to the component.
    test('the /sign-in page and the sidebar layouts of the user menu', async ({ page }) => {
      const shoot = async (
        name: string,
        box: { x: number; y: number; width: number; height: number } | null,
        pad = 24,
      ) => {
        if (!process.env.UPDATE_SCREENSHOTS || !box) return;
        const clip = {
          x: Math.max(0, box.x - pad),
          y: Math.max(0, box.y - pad),
          width: box.width + 2 * pad,
          height: box.height + 2 * pad,
        };
        await page.screenshot({ path: `${SCREENSHOTS}/${name}`, clip });
      };

      await page.goto('/sign-in');
      await expectNoSeriousViolations(page, `/sign-in (${theme})`);
      await shoot(`sign-in-${theme}.png`, await page.getByTestId('auth-card').boundingBox());
      await page.goto('/sign-in?view=sign-up');
      await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
      await expectNoSeriousViolations(page, `/sign-in?view=sign-up (${theme})`);

      await signIn(page, E2E.users.alice);
      for (const [path, name] of [
        ['/dashboard/sidebar', 'sidebar'],
        ['/dashboard/sidebar?collapsed=1', 'sidebar-collapsed'],
      ] as const) {
        await page.goto(path);
        await expectNoSeriousViolations(page, `${path} (${theme})`);
        const sidebar = page.getByRole('navigation', { name: 'Sidebar' });
        await sidebar.getByTestId('user-button').click();
        const menu = page.getByRole('menu');
        await expect(menu).toHaveCSS('opacity', '1');
        await expectNoSeriousViolations(page, `${path}, open menu (${theme})`);
        await shoot(`${name}-${theme}.png`, await sidebar.locator('..').boundingBox(), 0);
        await page.keyboard.press('Escape');
      }
    });
  });
}
