import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { cookieNames, OAUTH_STATE_COOKIE } from '@/lib/auth/paths';
import { nowSeconds, seal, unseal, type CookieReader } from '@/lib/server/cookies';
import {
  LOGIN_HINT_PARAMS,
  LOGIN_PROMPTS,
  SOCIAL_PROVIDERS,
  type LoginLinkOptions,
} from '@/lib/auth/login-href';
import type { AppOrigin } from '@/lib/server/http/origin';
import { safeReturnTo } from '@/lib/auth/redirects';
import { getScalekit } from '@/lib/server/scalekit';

/** Scopes for hosted login; offline_access is what makes the IdP return a refresh token. */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'];
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

/** Hints the hosted login page understands (lib/auth/login-href.ts builds the links that carry them). */
export type LoginHints = Omit<LoginLinkOptions, 'returnTo'>;

/** What a well-formed value of each hint looks like; anything else in the query is dropped. */
export const HINT_PATTERNS: Record<keyof LoginHints, RegExp> = {
  loginHint: /^[^\s@<>"']{1,64}@[a-z0-9.-]{1,253}$/i,
  organizationId: /^org_[A-Za-z0-9]{1,64}$/,
  connectionId: /^conn_[A-Za-z0-9]{1,64}$/,
  provider: new RegExp(`^(${SOCIAL_PROVIDERS.join('|')})$`),
  domainHint: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i,
  // The prompt values Scalekit documents for Full Stack Auth. `consent` appears only in the SDK's
  // JSDoc and social-connection settings, so it is not passed through.
  prompt: new RegExp(`^(${LOGIN_PROMPTS.join('|')})$`),
};

// Security: only allowlisted hints with well-formed values reach the IdP, so a crafted sign-in
// link cannot smuggle arbitrary parameters into the authorization request.
export function parseLoginHints(params: URLSearchParams): LoginHints {
  const hints: Record<string, string> = {};
  for (const [key, pattern] of Object.entries(HINT_PATTERNS) as [keyof LoginHints, RegExp][]) {
    const value = params.get(LOGIN_HINT_PARAMS[key]);
    if (value && pattern.test(value)) hints[key] = value;
  }
  return hints as LoginHints;
}

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');
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
export function attemptIdOf(name: string, app: Pick<AppOrigin, 'secure'>): string | null {
  const prefix = `${cookieNames(app.secure).state}_`;
  if (!name.startsWith(prefix)) return null;
  const id = name.slice(prefix.length);
  return /^[\w-]{16}$/.test(id) ? id : null;
}

/** Builds the hosted-login URL and the sealed state cookie that goes with it. */
export async function startLogin(
  app: AppOrigin,
  input: { returnTo?: string | null; hints?: LoginHints },
) {
  const state: LoginState = {
    st: random(),
    cv: random(),
    nonce: random(),
    returnTo: safeReturnTo(input.returnTo),
    ru: app.callbackUrl,
  };
  const codeChallenge = sha256(state.cv).toString('base64url');
  const url = getScalekit().getAuthorizationUrl(state.ru, {
    scopes: SCOPES,
    state: state.st,
    nonce: state.nonce,
    codeChallenge,
    codeChallengeMethod: 'S256',
    ...input.hints,
  });
  const cookie = await seal(OAUTH_STATE_COOKIE, state, {
    expiresAt: nowSeconds() + LOGIN_STATE_TTL_SECONDS,
  });
  return { url, cookie: { name: stateCookieName(state.st, app), value: cookie } };
}

/**
 * State cookies the callback (the only path they reach) should delete besides its own:
 * unreadable ones (planted, or sealed with a retired secret), then all but the newest
 * MAX_PARALLEL_LOGINS - 1, so cookies that /login's index never listed cannot pile up either.
 */
export async function staleStateCookies(
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
