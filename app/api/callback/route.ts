import { completeLogin } from '@/lib/server/callback/complete';
import { OAUTH_STATE_COOKIE_PATH } from '@/lib/auth/paths';
import { cookieOptions } from '@/lib/server/cookies';
import { isAuthError } from '@/lib/auth/outcomes';
import { appUrl, redirectTo } from '@/lib/server/http/responses';
import { IDP_INITIATED_LOGIN_PARAM, idpInitiatedLoginHref } from '@/lib/server/login/idp-initiated';
import { staleStateCookies, stateCookieName } from '@/lib/server/login/start';
import { withAppOrigin } from '@/lib/server/http/with-app-origin';
import { writeSessionCookies } from '@/lib/server/session/session';

/** GET /api/callback?code&state → session cookies and back to where the user was going. */
export const GET = withAppOrigin(async (request, app) => {
  const params = request.nextUrl.searchParams;
  // The SDK README reads IdP-initiated SSO here; Scalekit's docs send it to /login. Either way it
  // becomes a fresh SP-initiated login.
  if (params.has(IDP_INITIATED_LOGIN_PARAM) && !params.has('code')) {
    return redirectTo(appUrl(app, await idpInitiatedLoginHref(params)));
  }
  const state = params.get('state');
  const stateCookie = state ? stateCookieName(state, app) : undefined;
  let response;
  try {
    const login = await completeLogin(
      app,
      params,
      stateCookie && request.cookies.get(stateCookie)?.value,
    );
    response = redirectTo(appUrl(app, login.returnTo));
    await writeSessionCookies(
      response,
      app,
      request.cookies,
      login.tokens,
      login.profile,
      login.sessionExpiresAt,
      login.sid,
    );
  } catch (error) {
    const code = isAuthError(error) ? error.code : 'unknown';
    console.warn(`[auth] callback failed: ${code}`);
    // Never straight back into /login: a failing IdP would bounce the browser in a loop.
    response = redirectTo(appUrl(app, `/auth/error?code=${code}`));
  }
  // Security: the state is single-use, whatever the outcome.
  if (stateCookie && request.cookies.has(stateCookie)) {
    response.cookies.set(stateCookie, '', cookieOptions(app, OAUTH_STATE_COOKIE_PATH, 0));
  }
  // Only this path sees the attempt cookies: drop unreadable ones and any beyond the bound that
  // /login's index did not list (planted before it, or by another route to the browser).
  const others = { getAll: () => request.cookies.getAll().filter((c) => c.name !== stateCookie) };
  for (const name of await staleStateCookies(others, app)) {
    response.cookies.set(name, '', cookieOptions(app, OAUTH_STATE_COOKIE_PATH, 0));
  }
  return response;
});
