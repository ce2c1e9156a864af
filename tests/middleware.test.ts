import { NextRequest } from 'next/server';
import { matchHas } from 'next/dist/shared/lib/router/utils/prepare-destination';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_COOKIE, cookieNames } from '@/lib/auth/paths';
import { config, middleware } from '@/middleware';

const APP = 'http://localhost:3200';
const request = (path: string, cookie?: string) =>
  new NextRequest(new URL(path, APP), { headers: cookie ? { cookie } : {} });

describe('Edge middleware gate', () => {
  const [matcher] = config.matcher;

  it('is skipped by Next exactly when a session cookie (plain or chunked) is present', () => {
    expect(matcher!.source).toBe('/dashboard/:path*');
    const secure = cookieNames(true).access;
    expect(secure).toBe(`__Host-${ACCESS_TOKEN_COOKIE}`);
    // Next's own has/missing evaluation, as the router runs it before the middleware, on the
    // raw Cookie header a browser sends.
    const runs = (cookie?: string) =>
      matchHas(
        { headers: cookie === undefined ? {} : { cookie } } as never,
        {},
        undefined,
        matcher!.missing as never,
      ) !== false;
    expect(runs()).toBe(true);
    expect(runs('other=x')).toBe(true);
    // Every session cookie name the app writes, alone or among others, skips the gate.
    for (const name of [ACCESS_TOKEN_COOKIE, `${ACCESS_TOKEN_COOKIE}.0`, secure, `${secure}.0`]) {
      expect(runs(`${name}=sealed`)).toBe(false);
      expect(runs(`theme=dark; ${name}=sealed; other=1`)).toBe(false);
      expect(runs(`theme=dark;${name}=sealed`)).toBe(false);
    }
    // Look-alikes are not session cookies: the gate runs (and the page still verifies).
    expect(runs(`__Secure-${ACCESS_TOKEN_COOKIE}=sealed`)).toBe(true);
    expect(runs(`x${ACCESS_TOKEN_COOKIE}=sealed`)).toBe(true);
    expect(runs(`${ACCESS_TOKEN_COOKIE}_other=sealed`)).toBe(true);
    expect(runs(`${ACCESS_TOKEN_COOKIE}.1=chunk`)).toBe(true);
    expect(runs(`other=${ACCESS_TOKEN_COOKIE}=sealed`)).toBe(true);
    // The matcher and the middleware agree on which names count.
    for (const cookie of ['', 'a=b', `${secure}.0=x`, `${ACCESS_TOKEN_COOKIE}.1=x`]) {
      const passes =
        middleware(request('/dashboard', cookie || undefined)).headers.get('location') === null;
      if (cookie) expect(runs(cookie)).toBe(!passes);
    }
  });

  it('redirects a request without a session cookie to sign-in, with where it was going', () => {
    const response = middleware(request('/dashboard/settings?tab=1'));
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('returnTo')).toBe('/dashboard/settings?tab=1');
  });

  it('passes a request with a session cookie on (if Next ever runs it for one)', () => {
    expect(
      middleware(request('/dashboard', `${ACCESS_TOKEN_COOKIE}=x`)).headers.get('location'),
    ).toBeNull();
    expect(
      middleware(request('/dashboard', `${ACCESS_TOKEN_COOKIE}.0=x`)).headers.get('location'),
    ).toBeNull();
    expect(
      middleware(request('/dashboard', `__Host-${ACCESS_TOKEN_COOKIE}.0=x`)).headers.get(
        'location',
      ),
    ).toBeNull();
  });
});
