import type { NextRequest } from 'next/server';
import { completeLogin } from '@/lib/callback';
import { OAUTH_STATE_COOKIE, OAUTH_STATE_COOKIE_PATH } from '@/lib/cookie-names';
import { cookieOptions } from '@/lib/cookies';
import { isAuthError } from '@/lib/errors';
import { appUrl, redirectTo } from '@/lib/http';
import { writeSessionCookies } from '@/lib/session';

/** GET /api/callback?code&state → session cookies and back to where the user was going. */
export async function GET(request: NextRequest) {
  const stateCookie = request.cookies.get(OAUTH_STATE_COOKIE)?.value;
  let response;
  try {
    const login = await completeLogin(request.nextUrl.searchParams, stateCookie);
    response = redirectTo(appUrl(login.returnTo));
    await writeSessionCookies(response, login.tokens, login.profile, login.sessionExpiresAt);
  } catch (error) {
    const code = isAuthError(error) ? error.code : 'unknown';
    console.warn(`[auth] callback failed: ${code}`);
    // Never straight back into /login: a failing IdP would bounce the browser in a loop.
    response = redirectTo(appUrl(`/auth/error?code=${code}`));
  }
  // Security: the state is single-use, whatever the outcome.
  response.cookies.set(OAUTH_STATE_COOKIE, '', cookieOptions(OAUTH_STATE_COOKIE_PATH, 0));
  return response;
}
