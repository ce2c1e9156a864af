import 'server-only';
import type { NextRequest } from 'next/server';
import { getConfig } from '@/lib/server/config';
import { AuthError } from '@/lib/auth/outcomes';
import { hostnameOf, isLoopbackHostname } from './hosts';

/**
 * The public origin a request belongs to. With APP_URL set it is always APP_URL, whatever the
 * Host header says. Without it (preview deployments), the Host header is accepted only when it
 * matches ALLOWED_HOSTS, and X-Forwarded-* only when TRUST_PROXY_HEADERS is on.
 *
 * Without that trust the scheme is not read from the request at all: Next builds
 * `request.nextUrl`'s protocol from X-Forwarded-Proto, which any client can send. It is https in
 * production (start-up refuses http on public hosts, lib/server/config-production.ts) and http on
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

export function resolveAppOrigin(request: Pick<NextRequest, 'headers' | 'nextUrl'>): AppOrigin {
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
