import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
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

/** Tabs through the page, as a keyboard user would, until `target` has focus. */
export async function tabTo(page: Page, target: Locator, maxTabs = 15) {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`could not reach the element with Tab in ${maxTabs} presses`);
}

/**
 * Records, from before the first byte is parsed, the class <html> had when the header was
 * inserted. Mutation records arrive in the order the parser (and the theme script) made the
 * changes, so this is the class of the first paint, whatever happens after.
 */
export async function recordFirstPaintTheme(page: Page) {
  await page.addInitScript(() => {
    type Event = { kind: 'html-class'; oldValue: string | null } | { kind: 'header' };
    const events: Event[] = [];
    (window as unknown as { __paint: Event[] }).__paint = events;
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes' && record.target === document.documentElement) {
          events.push({ kind: 'html-class', oldValue: record.oldValue });
        }
        for (const node of record.addedNodes) {
          if (node.nodeName === 'HEADER') events.push({ kind: 'header' });
        }
      }
    }).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeOldValue: true,
      attributeFilter: ['class'],
    });
  });
  /** The <html> class list at the moment the header was inserted. */
  return () =>
    page.evaluate(() => {
      type Event = { kind: 'html-class'; oldValue: string | null } | { kind: 'header' };
      const events = (window as unknown as { __paint: Event[] }).__paint;
      const header = events.findIndex((e) => e.kind === 'header');
      if (header === -1) throw new Error('no <header> was inserted');
      // Each class change's new value is the next change's old value (or today's value).
      const next = events.slice(header).find((e) => e.kind === 'html-class');
      const value =
        next && next.kind === 'html-class' ? next.oldValue : document.documentElement.className;
      return (value ?? '').split(/\s+/).filter(Boolean);
    });
}
