import { expect, test } from '@playwright/test';
import { recordFirstPaintTheme } from './helpers';

// Dark mode: next-themes sets the class on <html> from an inline script before the header is
// parsed, so neither the system preference nor a saved choice ever paints light first.

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test.describe('theme', () => {
  test('follows a dark system preference from the first paint', async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    const classAtFirstPaint = await recordFirstPaintTheme(page);
    await page.goto('/');
    expect(await classAtFirstPaint()).toContain('dark');
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await context.close();
  });

  test('follows a light system preference', async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    const classAtFirstPaint = await recordFirstPaintTheme(page);
    await page.goto('/');
    expect(await classAtFirstPaint()).not.toContain('dark');
    await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
    await context.close();
  });

  test('the header toggle switches the theme, and the choice is there from the first paint after a reload', async ({
    browser,
  }) => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    const classAtFirstPaint = await recordFirstPaintTheme(page);
    await page.goto('/');
    const light = await background(page);

    await page.getByRole('button', { name: 'Theme' }).click();
    await page.getByRole('menuitemradio', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    // Colors come from the CSS variables, which the class switches.
    expect(await background(page)).not.toBe(light);

    await page.reload();
    expect(await classAtFirstPaint()).toContain('dark');

    await page.getByRole('button', { name: 'Theme' }).click();
    await expect(page.getByRole('menuitemradio', { name: 'Dark' })).toBeChecked();
    await page.getByRole('menuitemradio', { name: 'System' }).click();
    await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
    expect(await background(page)).toBe(light);
    await context.close();
  });
});
