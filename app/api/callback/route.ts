import { isAuthError } from '@/lib/auth/outcomes';
import { authErrorPath } from '@/lib/auth/paths';
import { completeLogin } from '@/lib/server/callback/complete';
import { appUrl, redirectTo, withAppOrigin } from '@/lib/server/http';
import { IDP_INITIATED_LOGIN_PARAM, idpInitiatedLoginHref } from '@/lib/server/login/request';
import { readLoginState } from '@/lib/server/login/state-cookie';
import { writeSessionCookies } from '@/lib/server/session/session';

/** GET /api/callback?code&state → session cookies and back to where the user was going. */
export const GET = withAppOrigin(async (request, app) => {
  const params = request.nextUrl.searchParams;
  // The SDK README reads IdP-initiated SSO here; Scalekit's docs send it to /login. Either way it
  // becomes a fresh SP-initiated login.
  if (params.has(IDP_INITIATED_LOGIN_PARAM) && !params.has('code')) {
    return redirectTo(appUrl(app, await idpInitiatedLoginHref(params)));
  }
  const attempt = readLoginState(request.cookies, app, params.get('state'));
  let response;
  try {
    const login = await completeLogin(app, params, attempt.sealed);
    response = redirectTo(appUrl(app, login.returnTo));
    await writeSessionCookies(response, app, request.cookies, login);
  } catch (error) {
    const code = isAuthError(error) ? error.code : 'unknown';
    console.warn(`[auth] callback failed: ${code}`);
    // Never straight back into /login: a failing IdP would bounce the browser in a loop.
    response = redirectTo(appUrl(app, authErrorPath(code)));
  }
  await attempt.retire(response);
  return response;
});
