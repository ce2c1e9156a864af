import 'server-only';
import { IDP_INITIATED_LOGIN_PARAM, idpInitiatedLogin } from './idp-initiated';
import { parseLoginHints, type LoginHints } from './start';

/**
 * What GET /login (the Initiate Login URL) was asked to do: a login link of ours, Scalekit's
 * IdP-initiated hand-off, or Scalekit sending the browser back after an invitation, an email
 * verification or a password reset with parameters the docs do not name.
 */
export type LoginRequest = {
  returnTo: string | null;
  hints: LoginHints;
  /** Extra parameters to add to the authorization URL unchanged. */
  forward: [string, string][];
};

/** Throws AuthError('idp_initiated_login_invalid' | 'idp_unavailable') for a bad hand-off. */
export async function readLoginRequest(params: URLSearchParams): Promise<LoginRequest> {
  const token = params.get(IDP_INITIATED_LOGIN_PARAM);
  if (token !== null) {
    // Security: only the verified token drives an IdP-initiated login; the rest of its query is
    // unsigned and anyone could have added to it.
    const login = await idpInitiatedLogin(token);
    return { returnTo: login.returnTo, hints: login.hints, forward: [] };
  }
  return {
    returnTo: params.get('returnTo'),
    hints: parseLoginHints(params),
    forward: forwardedParams(params),
  };
}

const MAX_FORWARDED = 8;
const MAX_VALUE_LENGTH = 1024;
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
// Printable text only: no control characters (C0, DEL, C1), no unpaired surrogates.
const VALUE = /^[^\p{Cc}\p{Cs}]*$/u;

/**
 * Parameters that mean something to OAuth 2.0 / OpenID Connect authorization servers (RFC 6749,
 * 7636, 8707, 9101, 9126, 9396, 9449, OIDC Core and Registration), to Scalekit's authorize
 * endpoint, or to this app. Compared case-insensitively.
 */
const RESERVED = new Set([
  'client_id',
  'client_secret',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'prompt',
  'max_age',
  'acr_values',
  'claims',
  'claims_locales',
  'display',
  'id_token_hint',
  'login_hint',
  'login_hint_token',
  'registration',
  'request',
  'request_uri',
  'resource',
  'audience',
  'authorization_details',
  'dpop_jkt',
  'grant_type',
  'code',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'session_state',
  'assertion',
  'domain',
  'domain_hint',
  'connection_id',
  'organization_id',
  'provider',
  IDP_INITIATED_LOGIN_PARAM,
  'returnto',
]);
const RESERVED_PREFIXES = [
  'code_', // code_challenge, code_challenge_method, code_verifier
  'client_', // client_assertion, client_assertion_type, …
  'redirect', // redirect_uri variants
  'response_',
  'request_',
  'id_token',
  'access_token',
  'refresh_token',
  'token',
  'sk_', // this app's cookie namespace
];

// Security: Scalekit sends users to the Initiate Login URL after invitations, email verification
// and password reset and asks the app to "accept query parameters that Scalekit appends" without
// naming them, so names cannot be allowlisted. Instead nothing that any OAuth/OIDC server gives a
// meaning to is forwarded (a link could otherwise swap redirect_uri, scope, state, PKCE or a
// signed request object into our authorization request), hints go through their own patterns
// instead, names already in the URL are never repeated, and count and size are bounded. What is
// left is opaque to us and to the protocol, which is all an invitation or verification id is.
export function forwardedParams(params: URLSearchParams): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const [name, value] of params) {
    if (out.length === MAX_FORWARDED) break;
    const lower = name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    if (!NAME.test(name) || RESERVED.has(lower)) continue;
    if (RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) continue;
    if (value.length === 0 || value.length > MAX_VALUE_LENGTH || !VALUE.test(value)) continue;
    out.push([name, value]);
  }
  return out;
}

/** Adds forwarded parameters to the authorization URL; one the URL already has is never repeated. */
export function withForwardedParams(authorizationUrl: string, forward: [string, string][]): string {
  if (forward.length === 0) return authorizationUrl;
  const present = new Set(
    [...new URL(authorizationUrl).searchParams.keys()].map((k) => k.toLowerCase()),
  );
  // Appended as text: re-serializing through URLSearchParams would turn the SDK's RFC 3986
  // encoding (`%20` in scope) into form encoding (`+`).
  const extra = forward
    .filter(([name]) => !present.has(name.toLowerCase()))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  if (extra.length === 0) return authorizationUrl;
  return `${authorizationUrl}${authorizationUrl.includes('?') ? '&' : '?'}${extra.join('&')}`;
}
