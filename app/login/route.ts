import { authErrorPath, safeReturnTo } from '@/lib/auth/paths';
import { isAuthError } from '@/lib/auth/outcomes';
import { appUrl, redirectTo, withAppOrigin } from '@/lib/server/http';
import { isIdpReachable } from '@/lib/server/scalekit';
import { readLoginRequest, withForwardedParams } from '@/lib/server/login/request';
import { startLogin } from '@/lib/server/login/start';
import { writeLoginState } from '@/lib/server/login/state-cookie';

/**
 * GET /login?returnTo=/path → the hosted login page, with the attempt sealed in a cookie. Also
 * Scalekit's Initiate Login URL: IdP-initiated SSO and the returns from invitations, email
 * verification and password reset arrive here (lib/server/login/request.ts).
 */
export const GET = withAppOrigin(async (request, app) => {
  const params = request.nextUrl.searchParams;
  if (!(await isIdpReachable())) {
    const returnTo = safeReturnTo(params.get('returnTo'));
    return redirectTo(appUrl(app, authErrorPath('idp_unavailable', { returnTo })));
  }
  let login;
  try {
    login = await readLoginRequest(params);
  } catch (error) {
    if (!isAuthError(error)) throw error;
    console.warn(`[auth] login refused: ${error.code}`);
    // Never the token's claims or relay_state: an unverified token decides nothing.
    return redirectTo(appUrl(app, authErrorPath(error.code)));
  }
  const { url, state } = startLogin(app, { returnTo: login.returnTo, hints: login.hints });
  const response = redirectTo(withForwardedParams(url, login.forward), 307);
  await writeLoginState(response, app, request.cookies, state);
  return response;
});
