import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { NextResponse } from 'next/server';
import { cache } from 'react';
import {
  ACCESS_TOKEN_COOKIE,
  ID_TOKEN_COOKIE,
  REFRESH_COOKIE_PATH,
  REFRESH_TOKEN_COOKIE,
} from './cookie-names';
import { cookieOptions, nowSeconds, seal, unseal } from './cookies';
import { safeReturnTo } from './redirects';
import { verifyAccessToken, type AccessTokenClaims, type IdTokenClaims } from './tokens';

/** How long one sign-in may last at most, refreshes included. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export type UserProfile = {
  email?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  emailVerified?: boolean;
};

export type SessionUser = UserProfile & {
  id: string;
  organizationId?: string;
  roles: string[];
  permissions: string[];
};

export type Session =
  | {
      status: 'authenticated';
      user: SessionUser;
      /** Access-token expiry, seconds since the epoch. */
      expiresAt: number;
      claims: AccessTokenClaims;
    }
  /** The access token expired but the session may be renewed through /api/refresh. */
  | { status: 'expired' }
  | { status: 'unauthenticated' };

/** What the access-token cookie holds: the token plus the profile from the verified ID token. */
type AccessCookie = { at: string; u: UserProfile };
type IdCookie = { it: string };
type RefreshCookie = { rt: string };

export function profileFromIdToken(claims: IdTokenClaims): UserProfile {
  return {
    email: claims.email,
    name: claims.name,
    givenName: claims.given_name,
    familyName: claims.family_name,
    emailVerified: claims.email_verified,
  };
}

function toUser(claims: AccessTokenClaims, profile: UserProfile): SessionUser {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  return {
    ...profile,
    id: claims.sub,
    organizationId: typeof claims.oid === 'string' ? claims.oid : undefined,
    roles: list(claims.roles),
    permissions: list(claims.permissions),
  };
}

export async function openAccessCookie(value: string | undefined) {
  return unseal<AccessCookie & { exp: number }>(ACCESS_TOKEN_COOKIE, value);
}

export async function openRefreshCookie(value: string | undefined) {
  return unseal<RefreshCookie & { exp: number }>(REFRESH_TOKEN_COOKIE, value);
}

export async function openIdCookie(value: string | undefined) {
  return unseal<IdCookie & { exp: number }>(ID_TOKEN_COOKIE, value);
}

/** Decides the session from the raw sealed access cookie: one decrypt, one verify. */
export async function sessionFromCookie(value: string | undefined): Promise<Session> {
  const sealed = await openAccessCookie(value);
  if (!sealed || typeof sealed.at !== 'string') return { status: 'unauthenticated' };
  const result = await verifyAccessToken(sealed.at);
  if (result.ok) {
    return {
      status: 'authenticated',
      user: toUser(result.claims, sealed.u ?? {}),
      expiresAt: result.claims.exp,
      claims: result.claims,
    };
  }
  // An unreachable JWKS is not the user's fault: send them through refresh, which reports an
  // outage as such and keeps the cookies.
  if (result.reason === 'expired' || result.reason === 'unavailable') return { status: 'expired' };
  return { status: 'unauthenticated' };
}

/**
 * The session for this request, for Server Components and Route Handlers (Node.js runtime).
 * Memoized per request, so a layout and a page asking both pay once.
 */
export const getSession = cache(async (): Promise<Session> => {
  const store = await cookies();
  return sessionFromCookie(store.get(ACCESS_TOKEN_COOKIE)?.value);
});

/**
 * The signed-in user, or a redirect: an expired token goes through /api/refresh (a Server
 * Component cannot set cookies), no session goes to sign-in. `returnTo` is where to come back.
 */
export async function requireSession(returnTo: string) {
  const session = await getSession();
  if (session.status === 'authenticated') return session;
  const target = encodeURIComponent(safeReturnTo(returnTo));
  if (session.status === 'expired') redirect(`/api/refresh?returnTo=${target}`);
  redirect(`/login?returnTo=${target}`);
}

export type SessionTokens = {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
};

/**
 * Writes the session cookies onto a response. Every cookie lives as long as the session itself
 * (`sessionExpiresAt`), which a refresh carries over and never extends.
 */
export async function writeSessionCookies(
  response: NextResponse,
  tokens: SessionTokens,
  profile: UserProfile,
  sessionExpiresAt: number,
): Promise<void> {
  const maxAge = Math.max(0, sessionExpiresAt - nowSeconds());
  const opts = { expiresAt: sessionExpiresAt };
  const access = await seal(ACCESS_TOKEN_COOKIE, { at: tokens.accessToken, u: profile }, opts);
  response.cookies.set(ACCESS_TOKEN_COOKIE, access, cookieOptions('/', maxAge));
  if (tokens.idToken) {
    const id = await seal(ID_TOKEN_COOKIE, { it: tokens.idToken }, opts);
    response.cookies.set(ID_TOKEN_COOKIE, id, cookieOptions('/', maxAge));
  }
  if (tokens.refreshToken) {
    const rt = await seal(REFRESH_TOKEN_COOKIE, { rt: tokens.refreshToken }, opts);
    response.cookies.set(REFRESH_TOKEN_COOKIE, rt, cookieOptions(REFRESH_COOKIE_PATH, maxAge));
  }
}

export function clearSessionCookies(response: NextResponse): void {
  // A deletion only matches a cookie with the same name and path.
  response.cookies.set(ACCESS_TOKEN_COOKIE, '', cookieOptions('/', 0));
  response.cookies.set(ID_TOKEN_COOKIE, '', cookieOptions('/', 0));
  response.cookies.set(REFRESH_TOKEN_COOKIE, '', cookieOptions(REFRESH_COOKIE_PATH, 0));
}
