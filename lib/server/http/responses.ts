import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { AppOrigin } from './origin';

/** An absolute URL on this app's resolved origin (lib/server/http/origin.ts), never the raw Host header. */
export function appUrl(app: AppOrigin, pathAndQuery: string): URL {
  const url = new URL(pathAndQuery, app.origin + '/');
  // Security: a backstop behind safeReturnTo; a path that resolves to another origin (`//host`,
  // `/.//host`) never becomes a Location, the home page does.
  return url.origin === app.origin ? url : new URL('/', app.origin);
}

// Security: auth responses carry Set-Cookie and per-user redirects; no cache may keep them.
export function noStore<T extends Response>(response: T): T {
  response.headers.set('Cache-Control', 'no-store, max-age=0');
  response.headers.set('Vary', 'Cookie');
  return response;
}

export function redirectTo(target: string | URL, status = 303): NextResponse {
  return noStore(NextResponse.redirect(target, status));
}

export function jsonNoStore(body: unknown, init?: ResponseInit): NextResponse {
  return noStore(NextResponse.json(body, init));
}

/** Matches the time a request waits for the IdP (lib/server/refresh/tokens.ts): worth one more try after it. */
const RETRY_AFTER_SECONDS = 5;

/** 503 for a JSON caller when the IdP could not answer; the client retries after Retry-After. */
export function idpUnavailableJson(): NextResponse {
  return jsonNoStore(
    { error: 'idp_unavailable' },
    { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
  );
}

/**
 * True when the browser says the request came from this site (or was typed/bookmarked).
 * Sec-Fetch-Site is set by every current browser and cannot be forged by page script; when it is
 * missing (old browsers, curl) fall back to comparing Origin with APP_URL.
 */
export function isSameSiteRequest(request: NextRequest, app: AppOrigin): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = request.headers.get('origin');
  return origin === null || origin === app.origin;
}

/** Link prefetches (Next's router, or the browser's speculation rules) must never change state. */
export function isPrefetch(request: NextRequest): boolean {
  const h = request.headers;
  return (
    h.has('next-router-prefetch') ||
    h.get('purpose') === 'prefetch' ||
    (h.get('sec-purpose') ?? '').includes('prefetch')
  );
}
