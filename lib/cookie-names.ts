/**
 * Cookie names and paths. No server-only import: Edge middleware reads these names to check
 * presence, and nothing else.
 */
export const ACCESS_TOKEN_COOKIE = 'sk_access_token';
export const ID_TOKEN_COOKIE = 'sk_id_token';
export const REFRESH_TOKEN_COOKIE = 'sk_refresh_token';
export const OAUTH_STATE_COOKIE = 'sk_oauth_state';

// Security: the refresh token is only ever sent to the endpoint that spends it.
export const REFRESH_COOKIE_PATH = '/api/refresh';
// The login state is only needed by the callback.
export const OAUTH_STATE_COOKIE_PATH = '/api/callback';

// A one-time flow outcome (e.g. `signed_out`) for the next page's AuthNotice. Holds only a known
// message code, and page script deletes it once shown, so it is deliberately not HttpOnly.
export const AUTH_NOTICE_COOKIE = 'auth_notice';
