import type { NextRequest } from 'next/server';
import { authErrorPath } from '@/lib/auth/paths';
import { setAuthNotice } from '@/lib/server/auth-notice';
import {
  appUrl,
  isPrefetch,
  isSameSiteRequest,
  redirectTo,
  type AppOrigin,
  withAppOrigin,
} from '@/lib/server/http';
import { isIdpReachable } from '@/lib/server/scalekit';
import { buildLogoutUrl, endSession } from '@/lib/server/logout';
import { clearSessionCookies } from '@/lib/server/session/session';

async function logout(request: NextRequest, app: AppOrigin) {
  // Security: sign-out changes state, so only this app may trigger it: a cross-site form, an
  // <img src="/logout"> or a link prefetch must not sign anyone out.
  if (!isSameSiteRequest(request, app) || isPrefetch(request)) {
    return redirectTo(appUrl(app, authErrorPath('cross_site_request')));
  }
  // Deny the session's id (copies of its cookies die with it) and keep the ID token for the
  // IdP's logout hint, before the cookies go.
  const { idToken } = await endSession(app, request.cookies);
  // Signing out here always happens; if the IdP is down, say that its session may live on
  // instead of leaving the browser on a connection error.
  const response = (await isIdpReachable())
    ? redirectTo(buildLogoutUrl(app, idToken))
    : redirectTo(appUrl(app, authErrorPath('logout_idp_unavailable')));
  clearSessionCookies(response, app, request.cookies);
  // The IdP sends the browser back to the home page, which says what happened.
  setAuthNotice(response, app, 'signed_out');
  return response;
}

/** POST /logout from the sign-out form. */
export const POST = withAppOrigin(logout);
/** GET /logout, honoured only for same-origin navigations. */
export const GET = withAppOrigin(logout);
