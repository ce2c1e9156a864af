import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GET as refreshGET } from '@/app/api/refresh/route';
import ContinuePage from '@/app/auth/continue/page';
import AuthErrorPage from '@/app/auth/error/page';
import { GET as loginGET } from '@/app/login/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { openLoginState } from '@/lib/server/login/state-cookie';
import {
  appUrl,
  request,
  setCookies,
  signInThroughRoutes,
  stateCookieOf,
  USERS,
} from '../helpers/routes';
import { expectNo5xx } from './helpers';

/**
 * Open redirects through dot segments and repeated encodings, end to end through the routes: a
 * returnTo that looks like a same-origin path but that the browser resolves to another host.
 * Before the fix `/api/refresh?returnTo=/.//evil.com` answered `303 → http://evil.com/`.
 */
const payloads = [
  '/.//evil.com',
  '/.//evil.com/dashboard',
  '/./%2fevil.com',
  '/%2e//evil.com',
  '/%2E%2e//evil.com',
  '/a/..//evil.com',
  '/dashboard/..//evil.com',
  '/../..//evil.com',
  '/a/%2e%2e//evil.com',
  '/%252e//evil.com',
  '/.%2f/evil.com',
  '/%2e%2e%2f%2fevil.com',
  '/.%5c/evil.com',
  '/.%09/evil.com',
  '/.///evil.com',
  '/././/evil.com:443',
];

/** Where a browser goes when it follows `href` on a page of this app. */
const lands = (href: string) => new URL(href, `${appUrl()}/auth/error`);

function expectOnThisOrigin(href: string | null) {
  expect(href).not.toBeNull();
  const url = lands(href!);
  expect(url.origin, href!).toBe(appUrl());
  expect(url.pathname.startsWith('//'), href!).toBe(false);
}

describe('dot-segment returnTo through GET /api/refresh (signed in, so it really redirects)', () => {
  it(`lands on this app for all ${payloads.length} payloads`, async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    let jar: Record<string, string> = { ...session };
    for (const payload of payloads) {
      const response = await refreshGET(
        request(`/api/refresh?returnTo=${encodeURIComponent(payload)}`, { cookies: jar }),
      );
      expectNo5xx(response);
      expect(response.status, payload).toBe(303);
      // The rotation succeeded, and the redirect falls back instead of leaving the site.
      expect(response.headers.get('location'), payload).toBe(`${appUrl()}/dashboard`);
      for (const [name, cookie] of Object.entries(setCookies(response))) {
        if (cookie.value) jar = { ...jar, [name]: cookie.value };
      }
    }
  });

  it('still returns to a same-origin path with dot segments, normalised', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const response = await refreshGET(
      request(`/api/refresh?returnTo=${encodeURIComponent('/a/../dashboard/./?tab=team')}`, {
        cookies: session,
      }),
    );
    expect(response.headers.get('location')).toBe(`${appUrl()}/dashboard/?tab=team`);
  });
});

describe('dot-segment returnTo through /login and the callback', () => {
  it.each(payloads)('/login?returnTo=%s seals the fallback', async (payload) => {
    const response = await loginGET(request(`/login?returnTo=${encodeURIComponent(payload)}`));
    expectNo5xx(response);
    const [, cookie] = stateCookieOf(response);
    expect((await openLoginState(cookie.value))!.returnTo).toBe('/dashboard');
  });

  it.each(['/.//evil.com', '/%2e%2e//evil.com'])(
    'a full sign-in with returnTo=%s ends on this app',
    async (payload) => {
      const { callback } = await signInThroughRoutes(USERS.bob, payload);
      expectNo5xx(callback);
      expect(callback.headers.get('location')).toBe(`${appUrl()}/dashboard`);
    },
  );
});

async function render(element: Promise<React.ReactElement>) {
  return renderToStaticMarkup(await element);
}

const hrefs = (html: string) =>
  [...html.matchAll(/(?:href|url)=(?:"|&quot;)?([^"&\s>]+)/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&'),
  );

describe('dot-segment returnTo rendered into links', () => {
  it.each(payloads.flatMap((p) => ['idp_unavailable', 'session_ended'].map((code) => [code, p])))(
    '/auth/error?code=%s: every link for returnTo=%s stays on this app',
    async (code, payload) => {
      const html = await render(
        AuthErrorPage({ searchParams: Promise.resolve({ code, returnTo: payload }) }),
      );
      const links = hrefs(html);
      expect(links.length).toBeGreaterThan(0);
      for (const href of links) {
        expectOnThisOrigin(href);
        const nested = lands(href).searchParams.get('returnTo');
        if (nested !== null) expect(nested).toBe('/dashboard');
      }
      if (code === 'idp_unavailable') expect(links).toContain('/dashboard');
    },
  );

  it.each(payloads)(
    '/auth/continue for returnTo=%s only ever continues to /dashboard',
    async (p) => {
      const html = await render(ContinuePage({ searchParams: Promise.resolve({ returnTo: p }) }));
      const links = hrefs(html);
      expect(links.length).toBe(2); // the meta refresh and the button
      for (const href of links) {
        expectOnThisOrigin(href);
        expect(lands(href).searchParams.get('returnTo')).toBe('/dashboard');
      }
    },
  );
});

describe('logout takes no return path', () => {
  it('a returnTo on /logout changes nothing: the IdP sends the browser back to this app', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const response = await logoutPOST(
      request('/logout?returnTo=%2F.%2F%2Fevil.com', {
        method: 'POST',
        cookies: session,
        headers: { origin: appUrl() },
      }),
    );
    expectNo5xx(response);
    const location = new URL(response.headers.get('location')!);
    expect(location.toString()).not.toContain('evil.com');
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${appUrl()}/`);
  });
});
