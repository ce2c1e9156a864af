import { afterEach, describe, expect, it } from 'vitest';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { GET as refreshGET, POST as refreshPOST } from '@/app/api/refresh/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { REFRESH_TOKEN_COOKIE } from '@/lib/auth/paths';
import { seal } from '@/lib/server/cookies';
import { openRefreshCookie, sessionFromCookie } from '@/lib/server/session/session';
import { appUrl, request, setCookies, signInThroughRoutes, USERS } from '../helpers/routes';
import { expectNo5xx, type Jar } from './helpers';
import { clearSessionMemo, forgetRevocations } from '@/lib/server/testing';

/**
 * Class: a copy of a session's cookies (taken by malware, a shared machine, a synced profile)
 * must die when the user signs out, even though the IdP's refresh token may live on.
 */

async function signOut(jar: Jar) {
  // The browser sends /logout only its path-/ cookies: never the refresh cookie.
  const sent = Object.fromEntries(
    Object.entries(jar).filter(([name]) => !name.includes('refresh')),
  );
  const response = await logoutPOST(
    request('/logout', { method: 'POST', cookies: sent, headers: { origin: appUrl() } }),
  );
  expectNo5xx(response);
  return response;
}

const refreshWith = async (jar: Jar) => {
  const response = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: jar }));
  expectNo5xx(response);
  return response;
};

afterEach(() => clearSessionMemo());

describe('hostile: cookies copied before sign-out', () => {
  it('a copied refresh cookie mints nothing after sign-out (POST → 401, cookies cleared)', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const copy = { sk_refresh_token: session.sk_refresh_token };
    await signOut(session);
    const response = await refreshWith(copy);
    expect(response.status).toBe(401);
    expect(setCookies(response).sk_access_token?.value ?? '').toBe('');
  });

  it('nor through the navigation refresh (GET → session_ended)', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    await signOut(session);
    const response = await refreshGET(
      request('/api/refresh?returnTo=/dashboard', {
        cookies: { sk_refresh_token: session.sk_refresh_token },
      }),
    );
    expectNo5xx(response);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/auth/error');
    expect(location.searchParams.get('code')).toBe('session_ended');
  });

  it('a copy the thief already rotated before sign-out dies with the session too', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const stolen = await refreshWith({ sk_refresh_token: session.sk_refresh_token });
    expect(stolen.status).toBe(200);
    const thiefJar = { sk_refresh_token: setCookies(stolen).sk_refresh_token!.value };
    await signOut(session);
    expect((await refreshWith(thiefJar)).status).toBe(401);
  });

  it('a copied access cookie is no session after sign-out, memo warm or cold', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    expect((await sessionFromCookie(session.sk_access_token)).status).toBe('authenticated');
    await signOut(session);
    // Warm: the verified result is still memoized.
    expect((await sessionFromCookie(session.sk_access_token)).status).toBe('unauthenticated');
    clearSessionMemo();
    expect((await sessionFromCookie(session.sk_access_token)).status).toBe('unauthenticated');
    const token = await accessTokenGET(
      request('/api/access-token', { cookies: { sk_access_token: session.sk_access_token } }),
    );
    expect(token.status).toBe(401);
  });

  it('sign-out with only the ID cookie left still ends the session', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    await signOut({ sk_id_token: session.sk_id_token });
    expect((await refreshWith({ sk_refresh_token: session.sk_refresh_token })).status).toBe(401);
  });

  it("one browser's sign-out leaves the same user's other sessions alone", async () => {
    const laptop = await signInThroughRoutes(USERS.alice);
    const phone = await signInThroughRoutes(USERS.alice);
    await signOut(laptop.session);
    expect((await refreshWith({ sk_refresh_token: phone.session.sk_refresh_token })).status).toBe(
      200,
    );
    expect((await sessionFromCookie(phone.session.sk_access_token)).status).toBe('authenticated');
  });

  it('a valid refresh cookie with no session id (no sign-out could reach it) is refused', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const opened = (await openRefreshCookie(session.sk_refresh_token))!;
    const legacy = await seal(REFRESH_TOKEN_COOKIE, { rt: opened.rt }, { expiresAt: opened.exp });
    expect((await refreshWith({ sk_refresh_token: legacy })).status).toBe(401);
  });

  it('the deny record is in the refresh store: another instance (empty local set) refuses too', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    await signOut(session);
    forgetRevocations();
    expect((await refreshWith({ sk_refresh_token: session.sk_refresh_token })).status).toBe(401);
  });
});
