import { NextResponse, type NextRequest } from 'next/server';
import { ACCESS_TOKEN_COOKIE } from '@/lib/cookie-names';

/**
 * Edge gate: is there a session cookie at all? No crypto and no SDK here (neither belongs on the
 * Edge, and both would bloat every request); pages verify the session with getSession().
 */
export function middleware(request: NextRequest) {
  const cookies = request.cookies;
  if (cookies.has(ACCESS_TOKEN_COOKIE) || cookies.has(`${ACCESS_TOKEN_COOKIE}.0`)) {
    return NextResponse.next();
  }
  const { pathname, search } = request.nextUrl;
  const login = new URL('/login', request.url);
  login.searchParams.set('returnTo', pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/dashboard/:path*'],
};
