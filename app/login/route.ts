import { cookieNames, LOGIN_ATTEMPTS_COOKIE_PATH, OAUTH_STATE_COOKIE_PATH } from '@/lib/auth/paths';
import { cookieOptions } from '@/lib/server/cookies';
import { appUrl, redirectTo } from '@/lib/server/http/responses';
import { isIdpReachable } from '@/lib/server/idp-health';
import { isAuthError } from '@/lib/auth/outcomes';
import { LOGIN_STATE_TTL_SECONDS, startLogin } from '@/lib/server/login/start';
import { planAttempts } from '@/lib/server/login/state-cookie';
import { readLoginRequest, withForwardedParams } from '@/lib/server/login/request';
import { safeReturnTo } from '@/lib/auth/redirects';
import { withAppOrigin } from '@/lib/server/http/with-app-origin';

/**
 * GET /login?returnTo=/path → the hosted login page, with the attempt sealed in a cookie. Also
 * Scalekit's Initiate Login URL: IdP-initiated SSO and the returns from invitations, email
 * verification and password reset arrive here (lib/server/login/request.ts).
 */
export const GET = withAppOrigin(async (request, app) => {
  const params = request.nextUrl.searchParams;
  if (!(await isIdpReachable())) {
    const returnTo = encodeURIComponent(safeReturnTo(params.get('returnTo')));
    return redirectTo(appUrl(app, `/auth/error?code=idp_unavailable&returnTo=${returnTo}`));
  }
  let login;
  try {
    login = await readLoginRequest(params);
  } catch (error) {
    if (!isAuthError(error)) throw error;
    console.warn(`[auth] login refused: ${error.code}`);
    // Never the token's claims or relay_state: an unverified token decides nothing.
    return redirectTo(appUrl(app, `/auth/error?code=${error.code}`));
  }
  const { url, cookie } = await startLogin(app, { returnTo: login.returnTo, hints: login.hints });
  const response = redirectTo(withForwardedParams(url, login.forward), 307);
  // Security: at most MAX_PARALLEL_LOGINS attempts stay open (lib/server/login/state-cookie.ts).
  const { expire, index } = planAttempts(app, request.cookies, cookie.name);
  for (const name of expire) {
    response.cookies.set(name, '', cookieOptions(app, OAUTH_STATE_COOKIE_PATH, 0));
  }
  response.cookies.set(
    cookie.name,
    cookie.value,
    cookieOptions(app, OAUTH_STATE_COOKIE_PATH, LOGIN_STATE_TTL_SECONDS),
  );
  response.cookies.set(
    cookieNames(app.secure).loginAttempts,
    index,
    cookieOptions(app, LOGIN_ATTEMPTS_COOKIE_PATH, LOGIN_STATE_TTL_SECONDS),
  );
  return response;
});
