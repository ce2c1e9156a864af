import type { AuthCode } from './outcomes';

/**
 * The app's auth URLs and cookie names, in one table. No server-only import: Edge middleware
 * reads the cookie names to check presence, and pages and components link to the paths.
 */
export const AUTH_PATHS = {
  login: '/login',
  logout: '/logout',
  callback: '/api/callback',
  refresh: '/api/refresh',
  accessToken: '/api/access-token',
  error: '/auth/error',
  continue: '/auth/continue',
} as const;

/**
 * The error page for an outcome, keeping where the user was going (already checked by
 * safeReturnTo) so the page's "try again" leads back there. `unknown`: a failure that is no
 * AuthError, shown with the generic message.
 */
export function authErrorPath(code: AuthCode | 'unknown', options: { returnTo?: string } = {}) {
  const returnTo =
    options.returnTo === undefined ? '' : `&returnTo=${encodeURIComponent(options.returnTo)}`;
  return `${AUTH_PATHS.error}?code=${code}${returnTo}`;
}

/**
 * The base names below are what each cookie is sealed for (its `aud`, lib/server/cookies.ts) and what it
 * is called on http://localhost. Over https the names carry a prefix (RFC 6265bis), which the
 * browser itself enforces: `__Host-` (Secure, path /, no Domain) for the path-/ cookies, so a
 * sibling subdomain or a plain-http response cannot plant or overwrite a session; `__Secure-`
 * (Secure) for the cookies on narrower paths, which `__Host-` does not allow.
 */
export const ACCESS_TOKEN_COOKIE = 'sk_access_token';
export const ID_TOKEN_COOKIE = 'sk_id_token';
export const REFRESH_TOKEN_COOKIE = 'sk_refresh_token';
export const OAUTH_STATE_COOKIE = 'sk_oauth_state';
/** Lists the live sign-in attempts (lib/server/login/state-cookie.ts), so /login can bound them. */
export const LOGIN_ATTEMPTS_COOKIE = 'sk_login_attempts';

// Security: the refresh token is only ever sent to the endpoint that spends it.
export const REFRESH_COOKIE_PATH = AUTH_PATHS.refresh;
// The login state is only needed by the callback.
export const OAUTH_STATE_COOKIE_PATH = AUTH_PATHS.callback;
// The attempt index is only needed by the login route.
export const LOGIN_ATTEMPTS_COOKIE_PATH = AUTH_PATHS.login;

// A one-time flow outcome (e.g. `signed_out`) for the next page's AuthNotice. Holds only a known
// message code, and page script deletes it once shown, so it is deliberately not HttpOnly. It
// keeps its plain name on https too: it grants nothing, and the server only ever echoes a known
// code from it (lib/server/auth-notice.ts).
export const AUTH_NOTICE_COOKIE = 'auth_notice';

export type CookieNames = Readonly<{
  access: string;
  id: string;
  refresh: string;
  /** Prefix of the per-attempt state cookies (`<prefix>_<hash>`). */
  state: string;
  loginAttempts: string;
}>;

const plain: CookieNames = Object.freeze({
  access: ACCESS_TOKEN_COOKIE,
  id: ID_TOKEN_COOKIE,
  refresh: REFRESH_TOKEN_COOKIE,
  state: OAUTH_STATE_COOKIE,
  loginAttempts: LOGIN_ATTEMPTS_COOKIE,
});

const prefixed: CookieNames = Object.freeze({
  access: `__Host-${ACCESS_TOKEN_COOKIE}`,
  id: `__Host-${ID_TOKEN_COOKIE}`,
  refresh: `__Secure-${REFRESH_TOKEN_COOKIE}`,
  state: `__Secure-${OAUTH_STATE_COOKIE}`,
  loginAttempts: `__Secure-${LOGIN_ATTEMPTS_COOKIE}`,
});

/**
 * The cookie names for a request's scheme. Security: over https only the prefixed names are
 * read, so a plain-named cookie planted by a sibling subdomain or over http is never a session.
 */
export function cookieNames(secure: boolean): CookieNames {
  return secure ? prefixed : plain;
}
