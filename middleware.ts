import { NextResponse, type NextRequest } from 'next/server';
import { cookieNames } from '@/lib/auth/paths';

// Both schemes' names: the gate only checks presence, and pages read the right one for the scheme.
const SESSION_COOKIES = [false, true].flatMap((secure) => {
  const name = cookieNames(secure).access;
  return [name, `${name}.0`];
});

/**
 * Edge gate: is there a session cookie at all? No crypto and no SDK here (neither belongs on the
 * Edge, and both would bloat every request); pages verify the session with getSession().
 */
export function middleware(request: NextRequest) {
  const cookies = request.cookies;
  if (SESSION_COOKIES.some((name) => cookies.has(name))) {
    return NextResponse.next();
  }
  const { pathname, search } = request.nextUrl;
  const login = new URL('/login', request.url);
  login.searchParams.set('returnTo', pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: [
    {
      source: '/dashboard/:path*',
      // Run only when the request has no session cookie, the one case where the gate acts. With
      // a cookie it would just pass the request on, and Next checks `missing` before entering the
      // Edge sandbox, which under `next start` costs ~1.5 ms of server CPU per request
      // (`npm run bench`). One regular expression over the raw Cookie header, not one `cookie`
      // condition per name: Next parses the whole header again for each of those (~30 µs per
      // request with four). It matches the access cookie or its first chunk, plain (http) or
      // `__Host-` (https), as a cookie name (at the start or after `;`), i.e. SESSION_COOKIES
      // (tests/middleware.test.ts checks). A literal: Next reads this config statically.
      missing: [
        {
          type: 'header',
          key: 'cookie',
          value: '(?:.*;\\s*)?(?:__Host-)?sk_access_token(?:\\.0)?=.*',
        },
      ],
    },
  ],
};
