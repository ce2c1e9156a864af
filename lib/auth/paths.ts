import type { AuthCode } from './outcomes';

/**
 * The app's auth URLs and cookie names, in one table. No server-only import: Edge middleware
 * reads the cookie names to check presence, and pages and components link to the paths.
 */
export const AUTH_PATHS = {
  login: '/login',
  /** The page with the sign-in choices (app/sign-in/page.tsx); /login goes straight to the IdP. */
  signIn: '/sign-in',
  logout: '/logout',
  callback: '/api/callback',
  refresh: '/api/refresh',
  accessToken: '/api/access-token',
  error: '/auth/error',
  continue: '/auth/continue',
  // Sessions and devices (docs/8-sessions.md)
  sessions: '/account/sessions',
  revokeSession: '/account/sessions/revoke',
  signOutEverywhere: '/account/sessions/revoke-all',
  scalekitWebhook: '/api/webhooks/scalekit',
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

// ---- Cookie names ----

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

// ---- Return paths ----

/**
 * The one validator for every redirect target the app accepts from a request (login, callback,
 * refresh, /auth/error, /auth/continue). It reads the value the way a browser will: resolved
 * against this app's origin, dot segments and all. Only a path that stays on this origin passes,
 * and what passes is the normalised form, so the redirect goes exactly where the check looked.
 * Pure and dependency-free, so it is safe to import anywhere.
 */
export const DEFAULT_RETURN_TO = '/dashboard';
const MAX_LENGTH = 2048;
/** Layers of percent-encoding checked; anything still changing after this is refused. */
const MAX_DECODE_ROUNDS = 4;
const PROBE_ORIGIN = 'http://return-to.invalid';
// Browsers strip tabs and newlines and read `\` as `/`, so a value that looks harmless here can
// turn into `//evil.com` there.
const UNSAFE_CHARACTERS = /[\\\u0000-\u001f\u007f]/;

/** Where a browser on this origin lands for `value`: its normalised path, or null if it leaves. */
function resolveOnOrigin(value: string): string | null {
  // Security: one literal leading slash. `//evil.com` and `/\evil.com` are protocol-relative to
  // browsers; `https:evil.com` or `javascript:` have no leading slash at all.
  if (value[0] !== '/' || value[1] === '/' || UNSAFE_CHARACTERS.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN || url.username || url.password) return null;
  // Security: dot segments (`/.//evil.com`, `/a/..//evil.com`, `/%2e%2e//evil.com`) collapse
  // into `//evil.com` here; as a Location or an href that is another host.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return null;
  return url.pathname + url.search + url.hash;
}

export function safeReturnTo(value: unknown, fallback: string = DEFAULT_RETURN_TO): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  const normalised = resolveOnOrigin(value);
  // Security: what we hand out must read the same on a second look (a fixed point), or a later
  // hop that resolves it again could land somewhere else.
  if (normalised === null || resolveOnOrigin(normalised) !== normalised) return fallback;
  // Security: a proxy, a framework or the next hop may percent-decode again (`%2F`, `%5C`,
  // `%252e`); every decoded layer must also stay on this origin, or the whole value is refused.
  let layer = value;
  for (let round = 0; ; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return fallback;
    }
    if (decoded === layer) break;
    if (round === MAX_DECODE_ROUNDS || resolveOnOrigin(decoded) === null) return fallback;
    layer = decoded;
  }
  return normalised;
}

// ---- Links to /login ----

/**
 * Links to GET /login, for the browser. No server-only import: buttons and the auth dialog build
 * these. The login route still checks every value against its allowlist (lib/server/login/start.ts), so this
 * only spares users a hint the server would drop.
 */

export const SOCIAL_PROVIDERS = [
  'google',
  'github',
  'microsoft',
  'gitlab',
  'linkedin',
  'salesforce',
] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];

/**
 * The `prompt` values Scalekit documents for hosted login: `login` (ask again even with a
 * session), `create` (the sign-up view), `select_account` (the organization/account picker) and
 * `none` (no UI at all: the callback gets `login_required` instead of a page).
 */
export const LOGIN_PROMPTS = ['login', 'create', 'select_account', 'none'] as const;
export type LoginPrompt = (typeof LOGIN_PROMPTS)[number];

export type LoginLinkOptions = {
  /** Same-origin path to come back to after sign-in. */
  returnTo?: string;
  /** 'create' asks for the sign-up view, 'select_account' for the organization picker. */
  prompt?: LoginPrompt;
  /** Prefills the email and lets the IdP route to the right SSO connection. */
  loginHint?: string;
  /** The organization's domain, for SSO routing when only the domain is known. */
  domainHint?: string;
  provider?: SocialProvider;
  organizationId?: string;
  connectionId?: string;
};

/** Each hint's query parameter, on /login and on the IdP's authorization URL alike. */
export const LOGIN_HINT_PARAMS: Record<Exclude<keyof LoginLinkOptions, 'returnTo'>, string> = {
  prompt: 'prompt',
  loginHint: 'login_hint',
  domainHint: 'domain_hint',
  provider: 'provider',
  organizationId: 'organization_id',
  connectionId: 'connection_id',
};

export function loginHref(options: LoginLinkOptions = {}): string {
  const query = new URLSearchParams();
  if (options.returnTo) query.set('returnTo', options.returnTo);
  for (const [key, param] of Object.entries(LOGIN_HINT_PARAMS) as [
    keyof typeof LOGIN_HINT_PARAMS,
    string,
  ][]) {
    const value = options[key]?.trim();
    if (value) query.set(param, value);
  }
  const qs = query.toString();
  return qs ? `/login?${qs}` : '/login';
}

/** `ada@Example.COM ` → `example.com`; undefined when the text is not an email address. */
export function emailDomain(email: string): string | undefined {
  const match = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/.exec(email.trim());
  return match?.[1]?.toLowerCase();
}
