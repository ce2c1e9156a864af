import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { NextResponse } from 'next/server';
import { hash, randomBytes } from 'node:crypto';
import { cache } from 'react';
import { isAuthError } from '@/lib/auth/outcomes';
import {
  ACCESS_TOKEN_COOKIE,
  cookieNames,
  ID_TOKEN_COOKIE,
  REFRESH_COOKIE_PATH,
  REFRESH_TOKEN_COOKIE,
  safeReturnTo,
} from '@/lib/auth/paths';
import { getConfig, type Config } from '@/lib/server/config';
import {
  cookieOptions,
  deleteChunked,
  nowSeconds,
  readChunked,
  seal,
  unseal,
  writeChunked,
  type CookieReader,
} from '@/lib/server/cookies';
import { resolveAppOrigin, type AppOrigin, type OriginInputs } from '@/lib/server/http';
import { exposeToTests } from '@/lib/server/test-seams';
import { verifyAccessToken, type AccessTokenClaims, type IdTokenClaims } from '@/lib/server/tokens';

export type UserProfile = {
  email?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  emailVerified?: boolean;
  /** Profile picture URL from the ID token; http(s) only. */
  picture?: string;
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

/**
 * What the access-token cookie holds: the token plus the profile from the verified ID token.
 * Every session cookie also carries the app's session id (`sid`, see "Revocation" below), so
 * a sign-out can deny every copy of it.
 */
type AccessCookie = { at: string; u: UserProfile; sid?: string };
type IdCookie = { it: string; sid?: string };
type RefreshCookie = { rt: string; sid?: string };

/** The picture claim as an image URL, or nothing. */
export function safePictureUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048 || !URL.canParse(value)) return undefined;
  // Security: only http(s) reaches an <img src>: no javascript:, data: or other schemes.
  const url = new URL(value);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
}

export function profileFromIdToken(claims: IdTokenClaims): UserProfile {
  return {
    email: claims.email,
    name: claims.name,
    givenName: claims.given_name,
    familyName: claims.family_name,
    emailVerified: claims.email_verified,
    picture: safePictureUrl(claims.picture),
  };
}

function strings(value: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') out.push(item);
  return out;
}

// Built field by field rather than spreading the cookie's profile: only known fields reach the
// user object, and it stays off V8's slow path on the first-sight hot path (`npm run bench`).
function toUser(claims: AccessTokenClaims, profile: UserProfile): SessionUser {
  return {
    email: profile.email,
    name: profile.name,
    givenName: profile.givenName,
    familyName: profile.familyName,
    emailVerified: profile.emailVerified,
    picture: profile.picture,
    id: claims.sub,
    organizationId: typeof claims.oid === 'string' ? claims.oid : undefined,
    roles: strings(claims.roles),
    permissions: strings(claims.permissions),
  };
}

// Every session cookie enforces the absolute expiry sealed inside it and the idle timeout.
const sessionUnseal = <T>(name: string, value: string | undefined) =>
  unseal<T & { exp: number; iat: number }>(name, value, {
    maxIdleSeconds: getConfig().session.idleTimeoutSeconds,
  });

export const openAccessCookie = (value: string | undefined) =>
  sessionUnseal<AccessCookie>(ACCESS_TOKEN_COOKIE, value);
export const openRefreshCookie = (value: string | undefined) =>
  sessionUnseal<RefreshCookie>(REFRESH_TOKEN_COOKIE, value);
export const openIdCookie = (value: string | undefined) =>
  sessionUnseal<IdCookie>(ID_TOKEN_COOKIE, value);

/** The sealed session cookies of a request, chunks joined, by the names of its scheme. */
export function readSessionCookies(cookies: CookieReader, app: Pick<AppOrigin, 'secure'>) {
  const names = cookieNames(app.secure);
  return {
    access: readChunked(cookies, names.access),
    id: readChunked(cookies, names.id),
    refresh: readChunked(cookies, names.refresh),
  };
}

export type AuthenticatedSession = Extract<Session, { status: 'authenticated' }>;
/** `keys`: the deny keys of the session (its app id and its IdP `sid`), hashed once at entry. */
type Remembered = { session: AuthenticatedSession; keys: readonly string[] };

/**
 * Decides the session from the raw sealed access cookie: one decrypt, one verify, and on
 * success the answer is memoized by a hash of the sealed bytes (the memo below explains
 * why that is safe), so the same cookie on the next request costs a hash and a lookup.
 */
export async function sessionFromCookie(value: string | undefined): Promise<Session> {
  if (!value) return { status: 'unauthenticated' };
  const key = memoKey(value);
  const remembered = recall<Remembered>(key);
  if (remembered) {
    // Security: a copy of a revoked session's cookie ends with it (a Map lookup per key, none
    // while nothing is revoked).
    return denied.size !== 0 && anyDenied(remembered.keys)
      ? { status: 'unauthenticated' }
      : remembered.session;
  }

  const sealed = await openAccessCookie(value);
  if (!sealed || typeof sealed.at !== 'string') return { status: 'unauthenticated' };
  const sid = typeof sealed.sid === 'string' ? sealed.sid : undefined;
  if (revokedHere(sid)) return { status: 'unauthenticated' };
  const result = await verifyAccessToken(sealed.at);
  if (result.ok) {
    const keys = denyKeysOf(sid, result.claims.sid);
    if (anyDenied(keys)) return { status: 'unauthenticated' };
    // Frozen: the memo hands the same object to later requests.
    const user = toUser(result.claims, sealed.u ?? {});
    Object.freeze(user.roles);
    Object.freeze(user.permissions);
    const session: AuthenticatedSession = Object.freeze({
      status: 'authenticated',
      user: Object.freeze(user),
      expiresAt: result.claims.exp,
      claims: Object.freeze(result.claims),
    });
    const idleDeadline = sealed.iat + getConfig().session.idleTimeoutSeconds;
    remember<Remembered>(
      key,
      { session, keys },
      Math.min(result.claims.exp, sealed.exp, idleDeadline) * 1000,
    );
    return session;
  }
  // An unreachable JWKS is not the user's fault: send them through refresh, which reports an
  // outage as such and keeps the cookies.
  if (result.reason === 'expired' || result.reason === 'unavailable') return { status: 'expired' };
  return { status: 'unauthenticated' };
}

/** The session a request's cookies hold: the access cookie, chunks joined, then as above. */
export function sessionFromCookies(
  cookies: CookieReader,
  app: Pick<AppOrigin, 'secure'>,
): Promise<Session> {
  return sessionFromCookie(readChunked(cookies, cookieNames(app.secure).access));
}

/**
 * Whether the request was served over https, decided exactly as the route handlers decide it
 * (lib/server/http.ts), so pages read the cookie names the routes wrote. Next derives a route's
 * `nextUrl.protocol` from the `x-forwarded-proto` it sets itself (from the socket, unless a proxy
 * set it); Server Components see that same header. Null: a host that is not allowed.
 */
function schemeOf(requestHeaders: Headers): Pick<AppOrigin, 'secure'> | null {
  const proto = requestHeaders.get('x-forwarded-proto')?.includes('https') ? 'https:' : 'http:';
  try {
    return resolveAppOrigin({ headers: requestHeaders, nextUrl: { protocol: proto } });
  } catch (error) {
    if (isAuthError(error, 'host_not_allowed')) return null;
    throw error;
  }
}

/** The session a Route Handler's request holds, read by the names of its scheme. */
export function sessionFromRequest(
  request: OriginInputs & { cookies: CookieReader },
): Promise<Session> {
  let app: AppOrigin;
  try {
    app = resolveAppOrigin(request);
  } catch (error) {
    if (isAuthError(error, 'host_not_allowed'))
      return Promise.resolve({ status: 'unauthenticated' });
    throw error;
  }
  return sessionFromCookies(request.cookies, app);
}

/**
 * The session for this request, for Server Components and Route Handlers (Node.js runtime).
 * Memoized per request, so a layout and a page asking both pay once.
 */
export const getSession = cache(async (): Promise<Session> => {
  const scheme = schemeOf(await headers());
  if (!scheme) return { status: 'unauthenticated' };
  return sessionFromCookies(await cookies(), scheme);
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

/** What a session's cookies hold: its tokens, the profile shown from them, its end and its id. */
export type SessionContents = {
  tokens: SessionTokens;
  profile: UserProfile;
  sessionExpiresAt: number;
  sid: string;
};

/**
 * Writes the session cookies onto a response. Every cookie lives as long as the session itself
 * (`sessionExpiresAt`), which a refresh carries over and never extends. `existing` is the
 * request's cookies, so chunks a smaller value no longer needs are deleted.
 */
export async function writeSessionCookies(
  response: NextResponse,
  app: AppOrigin,
  existing: CookieReader,
  { tokens, profile, sessionExpiresAt, sid }: SessionContents,
): Promise<void> {
  const names = cookieNames(app.secure);
  const maxAge = Math.max(0, sessionExpiresAt - nowSeconds());
  const opts = { expiresAt: sessionExpiresAt };
  const rootCookie = cookieOptions(app, '/', maxAge);
  const access = await seal(ACCESS_TOKEN_COOKIE, { at: tokens.accessToken, u: profile, sid }, opts);
  writeChunked(response, existing, names.access, access, rootCookie);
  if (tokens.idToken) {
    const id = await seal(ID_TOKEN_COOKIE, { it: tokens.idToken, sid }, opts);
    writeChunked(response, existing, names.id, id, rootCookie);
  }
  if (tokens.refreshToken) {
    const rt = await seal(REFRESH_TOKEN_COOKIE, { rt: tokens.refreshToken, sid }, opts);
    writeChunked(
      response,
      existing,
      names.refresh,
      rt,
      cookieOptions(app, REFRESH_COOKIE_PATH, maxAge),
    );
  }
}

export function clearSessionCookies(
  response: NextResponse,
  app: AppOrigin,
  existing: CookieReader,
): void {
  const names = cookieNames(app.secure);
  // A deletion only matches a cookie with the same name and path.
  deleteChunked(response, existing, names.access, cookieOptions(app, '/'));
  deleteChunked(response, existing, names.id, cookieOptions(app, '/'));
  deleteChunked(response, existing, names.refresh, cookieOptions(app, REFRESH_COOKIE_PATH));
}

// ---- Memo of verified sessions ----

/**
 * Verified-session memo. One sealed cookie serves every request until the next refresh, so
 * decrypting it and verifying its JWT again on each request is repeated work with a repeated
 * answer. After a cookie has been fully opened and verified, its result is kept here, keyed by a
 * SHA-256 of the exact sealed bytes, until the earliest of: the access token's `exp`, the sealed
 * absolute expiry, and the idle deadline. Why this is safe:
 * - The key is a hash of the whole JWE (header with the key id, IV, ciphertext and tag). Any
 *   change to the cookie, one bit or a different secret, is a different key: a miss that goes
 *   through full verification.
 * - Only successes are stored. A tampered, expired or foreign cookie is never remembered, so the
 *   memo cannot turn a failure into a session.
 * - A hit still checks the deadline against the clock, so nothing outlives the token.
 * - The memo belongs to one configuration: a new config (a retired cookie secret, another IdP or
 *   client id) empties it.
 * - It holds what getSession() would return anyway; the raw token is not a key.
 * What it does not do: notice a key the IdP withdrew from its JWKS before the token expires. With
 * access tokens of minutes, that window is the token's own lifetime, the same trust any stateless
 * JWT check gives.
 */
const MAX_ENTRIES = 10_000;

type Entry<T> = { value: T; validUntilMs: number };

let owner: Config | undefined;
const entries = new Map<string, Entry<unknown>>();

function current(): Map<string, Entry<unknown>> {
  const config = getConfig();
  if (owner !== config) {
    entries.clear();
    owner = config;
  }
  return entries;
}

// One-shot crypto.hash(): the same SHA-256 without a Hash object, about a third of the cost of
// createHash().update().digest() on a 1.7 KB cookie, and this runs on every request.
function memoKey(sealed: string): string {
  return hash('sha256', sealed, 'base64url');
}

function recall<T>(key: string): T | undefined {
  const map = current();
  const entry = map.get(key);
  if (!entry) return undefined;
  if (entry.validUntilMs <= Date.now()) {
    map.delete(key);
    return undefined;
  }
  // Least-recently-used order: a hit moves to the back.
  map.delete(key);
  map.set(key, entry);
  return entry.value as T;
}

function remember<T>(key: string, value: T, validUntilMs: number): void {
  if (validUntilMs <= Date.now()) return;
  const map = current();
  map.delete(key);
  map.set(key, { value, validUntilMs });
  while (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

exposeToTests('clearSessionMemo', () => entries.clear());
exposeToTests('sessionMemoSize', () => entries.size);

// ---- Revocation ----

/**
 * Revoked sessions, as this process knows them. Every app session has an id (`sid`), minted at
 * sign-in and sealed into each of its cookies; refreshes carry it over. The IdP's session has an
 * id of its own, the access token's `sid` claim (`ses_...`). A sign-out denies both; a session
 * revoked elsewhere (another device's "Revoke", the Scalekit dashboard, a webhook) arrives as the
 * IdP's id only. Each id is denied until every cookie that could carry it has expired, so a copy
 * of any of its cookies is refused afterwards.
 *
 * This process-local set is what the hot path (getSession) can afford to ask on every request:
 * one Map lookup per key, none at all while it is empty. Other instances learn of a revocation
 * through Redis (lib/server/sessions/broadcast.ts); the app id is also kept in the refresh store
 * (lib/server/refresh/tokens.ts `revokeSession`), which every refresh asks.
 */

// Security: an id of our own beside the IdP's `sid`. The IdP session can outlive ours (its
// revocation failed or was skipped); the app id still ends every copy of our cookies.
export const newSessionId = () => randomBytes(18).toString('base64url');

/** Store keys are a hash of the id: the id itself stays inside sealed cookies. */
export const sessionIdKey = (sid: string) => hash('sha256', sid, 'base64url');

/** The deny key of an IdP session id (`ses_...`), in its own domain so it never meets an app id's. */
export const idpSessionKey = (idpSid: string) => hash('sha256', `idp:${idpSid}`, 'base64url');

function denyKeysOf(sid: string | undefined, idpSid: unknown): readonly string[] {
  const keys: string[] = [];
  if (sid) keys.push(sessionIdKey(sid));
  if (typeof idpSid === 'string' && idpSid !== '') keys.push(idpSessionKey(idpSid));
  return Object.freeze(keys);
}

/** Bounded; past it the records closest to expiry go first. */
const MAX_LOCAL = 50_000;

// One set per process, on globalThis: `next build` bundles route handlers, pages and
// instrumentation.ts separately, each with its own copy of this module, and a revocation recorded
// by one (a route, the Redis subscriber) must hold for every other.
const DENIED = Symbol.for('scalekit-nextjs.denied-sessions');
const shared = globalThis as typeof globalThis & { [DENIED]?: Map<string, number> };
const denied: Map<string, number> = (shared[DENIED] ??= new Map());

function isDenied(key: string): boolean {
  const until = denied.get(key);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  denied.delete(key);
  return false;
}

function anyDenied(keys: readonly string[]): boolean {
  for (const key of keys) if (isDenied(key)) return true;
  return false;
}

/**
 * Denies sessions by key (`sessionIdKey`, `idpSessionKey`) in this process until `untilMs`, and
 * drops their memoized results, so the next request with any of their cookies is refused.
 */
export function denyLocally(keys: readonly string[], untilMs: number): void {
  if (untilMs <= Date.now() || keys.length === 0) return;
  for (const key of keys) {
    const until = Math.max(untilMs, denied.get(key) ?? 0);
    denied.delete(key);
    denied.set(key, until);
  }
  const drop = new Set(keys);
  for (const [memoKey, entry] of entries) {
    const value = entry.value as Remembered;
    if (value.keys.some((k) => drop.has(k))) entries.delete(memoKey);
  }
  if (denied.size > MAX_LOCAL) {
    const now = Date.now();
    for (const [k, until] of denied) if (until <= now) denied.delete(k);
    while (denied.size > MAX_LOCAL) {
      let soonest: string | undefined;
      let soonestUntil = Infinity;
      for (const [k, until] of denied) {
        if (until < soonestUntil) [soonest, soonestUntil] = [k, until];
      }
      if (soonest === undefined) break;
      denied.delete(soonest);
    }
  }
}

export function rememberRevoked(sid: string, untilMs: number): void {
  denyLocally([sessionIdKey(sid)], untilMs);
}

/** Whether this process has seen the app session signed out. */
export function revokedHere(sid: string | undefined): boolean {
  if (!sid || denied.size === 0) return false;
  return isDenied(sessionIdKey(sid));
}

/** Whether this process has seen the IdP session (`ses_...`) revoked. */
export function idpSessionRevokedHere(idpSid: string | undefined): boolean {
  if (!idpSid || denied.size === 0) return false;
  return isDenied(idpSessionKey(idpSid));
}

exposeToTests('forgetRevocations', () => denied.clear());
exposeToTests('deniedSessions', () => denied);
