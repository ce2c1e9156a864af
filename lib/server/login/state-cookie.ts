import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextResponse } from 'next/server';
import {
  cookieNames,
  LOGIN_ATTEMPTS_COOKIE_PATH,
  OAUTH_STATE_COOKIE,
  OAUTH_STATE_COOKIE_PATH,
  safeReturnTo,
} from '@/lib/auth/paths';
import { cookieOptions, nowSeconds, seal, unseal, type CookieReader } from '@/lib/server/cookies';
import type { AppOrigin } from '@/lib/server/http';

/**
 * The login-state cookie's whole life: named, sealed and written by /login, bounded by /login's
 * attempt index, read and checked by the callback, and cleared there (its own, single-use) along
 * with stale ones. Nothing else touches these cookies.
 */

/** A sign-in attempt must come back within this many seconds. */
export const LOGIN_STATE_TTL_SECONDS = 10 * 60;
/** Sign-in attempts kept at once (say, two tabs); the oldest beyond this are dropped. */
export const MAX_PARALLEL_LOGINS = 4;

/** What the login route remembers, sealed, until the callback. */
export type LoginState = {
  /** OAuth `state`: ties the callback to this browser. */
  st: string;
  /** PKCE code verifier. */
  cv: string;
  nonce: string;
  returnTo: string;
  /** The redirect_uri sent to the IdP; the code exchange must repeat it exactly. */
  ru: string;
};

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Each sign-in attempt gets its own state cookie, named after a hash of its state, so two tabs
 * signing in at once do not overwrite each other and the callback finds its own attempt
 * directly. The name reveals nothing: the hash of a random value. `__Secure-` over https.
 */
export function stateCookieName(state: string, app: Pick<AppOrigin, 'secure'>): string {
  return `${cookieNames(app.secure).state}_${sha256(state).toString('base64url').slice(0, 16)}`;
}

/** The attempt id a state cookie's name carries (the hash part), or null for any other name. */
function attemptIdOf(name: string, app: Pick<AppOrigin, 'secure'>): string | null {
  const prefix = `${cookieNames(app.secure).state}_`;
  if (!name.startsWith(prefix)) return null;
  const id = name.slice(prefix.length);
  return /^[\w-]{16}$/.test(id) ? id : null;
}

// ---- /login: write the attempt, bound the open ones ----

/**
 * Seals `state` into its own cookie and, past MAX_PARALLEL_LOGINS open attempts, expires the
 * oldest (see planAttempts).
 */
export async function writeLoginState(
  response: NextResponse,
  app: AppOrigin,
  existing: CookieReader,
  state: LoginState,
): Promise<void> {
  const name = stateCookieName(state.st, app);
  const value = await seal(OAUTH_STATE_COOKIE, state, {
    expiresAt: nowSeconds() + LOGIN_STATE_TTL_SECONDS,
  });
  // Security: at most MAX_PARALLEL_LOGINS attempts stay open.
  const { expire, index } = planAttempts(app, existing, name);
  for (const old of expire) expireStateCookie(response, app, old);
  response.cookies.set(
    name,
    value,
    cookieOptions(app, OAUTH_STATE_COOKIE_PATH, LOGIN_STATE_TTL_SECONDS),
  );
  response.cookies.set(
    cookieNames(app.secure).loginAttempts,
    index,
    cookieOptions(app, LOGIN_ATTEMPTS_COOKIE_PATH, LOGIN_STATE_TTL_SECONDS),
  );
}

/**
 * Bounds the open sign-in attempts. Each attempt's state cookie lives on path /api/callback, so
 * /login never sees them and cannot count them; a page that loops a browser through /login
 * would plant one per pass until the callback's Cookie header is too large to be served (431)
 * and the user cannot sign in. So /login keeps its own small index cookie, on path /login,
 * listing the attempts it opened (by the hash part of their names, oldest first). Past
 * MAX_PARALLEL_LOGINS it expires the oldest by name, a Set-Cookie on /api/callback that needs
 * no knowledge of the cookie's value.
 *
 * The index is not sealed: it names only which of our own attempt cookies to expire, and a
 * tampered entry can at worst expire one of them (or none). Entries that do not look like ours
 * are dropped. Attempts finished by the callback stay listed until they are the oldest; expiring
 * a cookie that is already gone is harmless.
 */
type AttemptPlan = {
  /** State cookies (on /api/callback) to expire now. */
  expire: string[];
  /** The index cookie's new value. */
  index: string;
};

const ID = /^[\w-]{16}$/;
const SEPARATOR = '.';

function planAttempts(
  app: Pick<AppOrigin, 'secure'>,
  existing: CookieReader,
  newCookieName: string,
): AttemptPlan {
  const names = cookieNames(app.secure);
  const newId = attemptIdOf(newCookieName, app);
  if (!newId) throw new Error('not a state cookie name');
  const raw = existing.getAll().find((c) => c.name === names.loginAttempts)?.value ?? '';
  const parsed: string[] = [];
  // Bounded parse: a huge or hostile value is read only as far as it could be ours.
  for (const id of raw.slice(0, 17 * MAX_PARALLEL_LOGINS * 2).split(SEPARATOR)) {
    if (ID.test(id) && id !== newId && !parsed.includes(id)) parsed.push(id);
  }
  // We never write more than MAX_PARALLEL_LOGINS entries, so more is not our index: keep the
  // newest, and one /login expires at most one attempt.
  const listed = parsed.slice(-MAX_PARALLEL_LOGINS);
  listed.push(newId);
  const dropped = listed.splice(0, Math.max(0, listed.length - MAX_PARALLEL_LOGINS));
  return {
    expire: dropped.map((id) => `${names.state}_${id}`),
    index: listed.join(SEPARATOR),
  };
}

// ---- /api/callback: read this attempt's state, then retire it and any stale ones ----

/**
 * The callback's attempt: the sealed state named by the `state` parameter (undefined when there
 * is none), and `retire`, which clears it and the stale attempt cookies on the response.
 */
export function readLoginState(
  cookies: CookieReader,
  app: Pick<AppOrigin, 'secure'>,
  state: string | null,
) {
  const name = state ? stateCookieName(state, app) : undefined;
  const all = cookies.getAll();
  const sealed = name ? all.find((c) => c.name === name)?.value : undefined;
  return {
    sealed,
    async retire(response: NextResponse): Promise<void> {
      // Security: the state is single-use, whatever the outcome.
      if (sealed !== undefined && name) expireStateCookie(response, app, name);
      // Only this path sees the attempt cookies: drop unreadable ones and any beyond the bound
      // that /login's index did not list (planted before it, or by another route to the browser).
      const others = { getAll: () => all.filter((c) => c.name !== name) };
      for (const stale of await staleStateCookies(others, app)) {
        expireStateCookie(response, app, stale);
      }
    },
  };
}

export async function openLoginState(value: string | undefined): Promise<LoginState | null> {
  const payload = await unseal<LoginState>(OAUTH_STATE_COOKIE, value);
  if (
    !payload ||
    typeof payload.st !== 'string' ||
    typeof payload.cv !== 'string' ||
    typeof payload.nonce !== 'string' ||
    typeof payload.ru !== 'string'
  ) {
    return null;
  }
  return {
    st: payload.st,
    cv: payload.cv,
    nonce: payload.nonce,
    ru: payload.ru,
    returnTo: safeReturnTo(payload.returnTo),
  };
}

/** Constant-time comparison, so response timing says nothing about how much of a guess matched. */
export function statesMatch(expected: string, received: string): boolean {
  return timingSafeEqual(sha256(expected), sha256(received)) && expected.length === received.length;
}

/**
 * State cookies the callback (the only path they reach) should delete besides its own:
 * unreadable ones (planted, or sealed with a retired secret), then all but the newest
 * MAX_PARALLEL_LOGINS - 1, so cookies that /login's index never listed cannot pile up either.
 */
async function staleStateCookies(
  existing: CookieReader,
  app: Pick<AppOrigin, 'secure'>,
): Promise<string[]> {
  const found = await Promise.all(
    existing
      .getAll()
      .filter((c) => attemptIdOf(c.name, app) !== null)
      .map(async (c) => ({
        name: c.name,
        iat: (await unseal<LoginState & { iat?: number }>(OAUTH_STATE_COOKIE, c.value))?.iat ?? -1,
      })),
  );
  found.sort((a, b) => b.iat - a.iat);
  return found
    .filter((c, index) => c.iat < 0 || index >= MAX_PARALLEL_LOGINS - 1)
    .map((c) => c.name);
}

function expireStateCookie(
  response: NextResponse,
  app: Pick<AppOrigin, 'secure'>,
  name: string,
): void {
  response.cookies.set(name, '', cookieOptions(app, OAUTH_STATE_COOKIE_PATH, 0));
}
