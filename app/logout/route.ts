import type { NextRequest } from 'next/server';
import { setAuthNotice } from '@/lib/auth-notice';
import { ID_TOKEN_COOKIE } from '@/lib/cookie-names';
import { appUrl, isPrefetch, isSameSiteRequest, redirectTo } from '@/lib/http';
import { buildLogoutUrl } from '@/lib/logout';
import { clearSessionCookies, openIdCookie } from '@/lib/session';

async function logout(request: NextRequest) {
  // Security: sign-out changes state, so only this app may trigger it: a cross-site form, an
  // <img src="/logout"> or a link prefetch must not sign anyone out.
  if (!isSameSiteRequest(request) || isPrefetch(request)) {
    return redirectTo(appUrl('/auth/error?code=cross_site_request'));
  }
  // Build the IdP URL (with the ID token hint) before the cookies go.
  const idToken = await openIdCookie(request.cookies.get(ID_TOKEN_COOKIE)?.value);
  const response = redirectTo(buildLogoutUrl(idToken?.it));
  clearSessionCookies(response);
  // The IdP sends the browser back to the home page, which says what happened.
  setAuthNotice(response, 'signed_out');
  return response;
}

/** POST /logout from the sign-out form. */
export const POST = logout;
/** GET /logout, honoured only for same-origin navigations. */
export const GET = logout;
