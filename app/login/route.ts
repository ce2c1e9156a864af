import type { NextRequest } from 'next/server';
import { OAUTH_STATE_COOKIE, OAUTH_STATE_COOKIE_PATH } from '@/lib/cookie-names';
import { cookieOptions } from '@/lib/cookies';
import { redirectTo } from '@/lib/http';
import { LOGIN_STATE_TTL_SECONDS, parseLoginHints, startLogin } from '@/lib/login';

/** GET /login?returnTo=/path → the hosted login page, with the attempt sealed in a cookie. */
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const { url, cookie } = await startLogin({
    returnTo: params.get('returnTo'),
    hints: parseLoginHints(params),
  });
  const response = redirectTo(url, 307);
  response.cookies.set(
    OAUTH_STATE_COOKIE,
    cookie,
    cookieOptions(OAUTH_STATE_COOKIE_PATH, LOGIN_STATE_TTL_SECONDS),
  );
  return response;
}
