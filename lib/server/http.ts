import 'server-only';
import { type NextRequest, NextResponse } from 'next/server';
import { AuthError, isAuthError } from '@/lib/auth/outcomes';
import { getConfig, hostnameOf, isLoopbackHostname } from '@/lib/server/config';

/**
 * HTTP for the auth route handlers: the app origin a request belongs to, the wrapper that
 * resolves it before any handler runs, and the responses the routes send.
 */

/**
 * The public origin a request belongs to. With APP_URL set it is always APP_URL, whatever the
 * Host header says. Without it (preview deployments), the Host header is accepted only when it
 * matches ALLOWED_HOSTS, and X-Forwarded-* only when TRUST_PROXY_HEADERS is on.
 *
 * Without that trust the scheme is not read from the request at all: Next builds
 * `request.nextUrl`'s protocol from X-Forwarded-Proto, which any client can send. It is https in
 * production (start-up refuses http on public hosts, lib/server/config.ts) and http on
 * loopback hosts and in development, where `next dev` and `next start` speak plain http.
 *
 * Security: callback and post-logout URLs are built from this, so a forged Host header must never
 * choose where the IdP sends codes or where users land.
 */
export type AppOrigin = Readonly<{
  origin: string;
  /** Secure cookies whenever the app is served over https. */
  secure: boolean;
  callbackUrl: string;
  postLogoutRedirectUrl: string;
}>;

const HOST_SYNTAX = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

function fromOrigin(origin: string): AppOrigin {
  return Object.freeze({
    origin,
    secure: origin.startsWith('https://'),
    callbackUrl: `${origin}/api/callback`,
    postLogoutRedirectUrl: `${origin}/`,
  });
}

/** `*.example.com` matches exactly one extra label; anything else must match exactly. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (!pattern.startsWith('*.')) return host === pattern;
    const suffix = pattern.slice(1);
    if (!host.endsWith(suffix)) return false;
    const label = host.slice(0, -suffix.length);
    return label.length > 0 && !label.includes('.');
  });
}

// Security: neither X-Forwarded-Proto nor nextUrl (built from it) decides the scheme without
// TRUST_PROXY_HEADERS, or a client could downgrade the callback URL and cookies to http.
function untrustedScheme(host: string, isProduction: boolean): 'http' | 'https' {
  return isProduction && !isLoopbackHostname(hostnameOf(host)) ? 'https' : 'http';
}

const first = (value: string | null) => value?.split(',')[0]?.trim() || null;

/** What resolveAppOrigin reads: a NextRequest, or a Server Component's headers and scheme. */
export type OriginInputs = { headers: Headers; nextUrl: { protocol: string } };

export function resolveAppOrigin(request: OriginInputs): AppOrigin {
  const config = getConfig();
  if (config.appUrl) return fromOrigin(config.appUrl);

  const headers = request.headers;
  const host = (
    (config.trustProxyHeaders && first(headers.get('x-forwarded-host'))) ||
    headers.get('host') ||
    ''
  ).toLowerCase();
  const proto = config.trustProxyHeaders
    ? first(headers.get('x-forwarded-proto')) || request.nextUrl.protocol.replace(/:$/, '')
    : untrustedScheme(host, config.isProduction);
  if (
    !HOST_SYNTAX.test(host) ||
    (proto !== 'https' && proto !== 'http') ||
    !hostAllowed(host, config.allowedHosts)
  ) {
    throw new AuthError('host_not_allowed');
  }
  return fromOrigin(`${proto}://${host}`);
}

/**
 * Runs an auth route handler on the request's resolved origin. A host that is not allowed gets a
 * plain 400 before any handler code runs, so no URL is ever built on it.
 */
export function withAppOrigin(
  handler: (request: NextRequest, app: AppOrigin) => Promise<Response>,
): (request: NextRequest) => Promise<Response> {
  return async (request) => {
    let app: AppOrigin;
    try {
      app = resolveAppOrigin(request);
    } catch (error) {
      if (!isAuthError(error, 'host_not_allowed')) throw error;
      console.warn('[auth] request for a host that is not allowed');
      return noStore(new NextResponse('This host is not allowed.', { status: 400 }));
    }
    return handler(request, app);
  };
}

/** An absolute URL on this app's resolved origin, never the raw Host header. */
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
