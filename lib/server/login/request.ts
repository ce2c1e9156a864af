import 'server-only';
import { decodeProtectedHeader, type JWTPayload } from 'jose';
import { loginHref, authErrorPath, safeReturnTo } from '@/lib/auth/paths';
import { AuthError, isAuthError } from '@/lib/auth/outcomes';
import { parseLoginHints, type LoginHints, HINT_PATTERNS } from '@/lib/server/login/start';
import { classifyIdpError, isAdvertisedIssuer, getScalekit } from '@/lib/server/scalekit';

/** The query parameter that carries Scalekit's IdP-initiated login token (see below). */
export const IDP_INITIATED_LOGIN_PARAM = 'idp_initiated_login';

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

// ---- IdP-initiated SSO ----

/**
 * IdP-initiated SSO: Scalekit sends the browser to the Initiate Login URL (/login) with
 * `?idp_initiated_login=<JWT>` (the SDK README reads it on the callback instead; both routes
 * hand it here). The token is never a session: it only says which connection, organization and
 * user to start a normal SP-initiated login for, so the user still signs in at the IdP and the
 * callback still checks state, PKCE and the ID token.
 */

/** A JWT of the documented shape is a few hundred bytes; anything much larger is not one. */
const MAX_TOKEN_LENGTH = 4096;
/** Documented example: exp − iat = 300 s. Double that absorbs a different setting, no more. */
const MAX_LIFETIME_SECONDS = 600;
/** The same allowance lib/server/tokens.ts gives the IdP's clock. */
const CLOCK_SKEW_SECONDS = 5;

export type IdpInitiatedLogin = { returnTo: string; hints: LoginHints };

const fail = (reason: string, cause?: unknown) =>
  new AuthError('idp_initiated_login_invalid', `idp-initiated login refused: ${reason}`, { cause });

/**
 * Verifies the token and turns it into the inputs of a normal login. Throws
 * AuthError('idp_initiated_login_invalid') for anything forged, expired or malformed, and
 * AuthError('idp_unavailable') when the IdP's keys could not be fetched.
 */
export async function idpInitiatedLogin(token: string): Promise<IdpInitiatedLogin> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw fail('size');

  // Security: RS256 only, as for every other token (lib/server/tokens.ts). The SDK lets jose accept
  // whatever algorithm the key set allows; `none` and HMAC never get that far here.
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch (error) {
    throw fail('not a JWT', error);
  }
  if (alg !== 'RS256') throw fail('algorithm');

  let payload: JWTPayload;
  try {
    // Signature against {env}/keys, exp and nbf (when present).
    payload = await getScalekit().getIdpInitiatedLoginClaims(token);
  } catch (error) {
    // The SDK wraps verification failures; a failed key fetch escapes as the raw HTTP error.
    if (isKeyFetchFailure(error)) {
      throw new AuthError('idp_unavailable', 'idp-initiated login: keys unavailable', {
        cause: error,
      });
    }
    throw fail('signature or lifetime', error);
  }
  // Security: the issuer is this app's environment (or the custom auth domain its discovery
  // document advertises, as for every other token: lib/server/scalekit.ts); a token of another
  // environment signed with a key that happens to be published here is still not ours.
  if (typeof payload.iss !== 'string') throw fail('issuer');
  const issuer = await isAdvertisedIssuer(payload.iss);
  if (issuer === 'unavailable') {
    throw new AuthError('idp_unavailable', 'idp-initiated login: discovery unavailable');
  }
  if (issuer !== 'trusted') throw fail('issuer');
  return claimsToLogin(payload);
}

function isKeyFetchFailure(error: unknown): boolean {
  if (error instanceof Error && error.name === 'ScalekitValidateTokenFailureException') {
    return false;
  }
  return classifyIdpError(error) === 'unavailable';
}

/**
 * The checks the SDK skips, against the documented claims (organization_id, connection_id,
 * login_hint, iss, iat, nbf, exp, and relay_state in the SDK's type). Exported for tests.
 */
export function claimsToLogin(
  claims: JWTPayload,
  now = Math.floor(Date.now() / 1000),
): IdpInitiatedLogin {
  const { exp, iat, nbf } = claims;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw fail('exp/iat missing');
  if (nbf !== undefined && typeof nbf !== 'number') throw fail('nbf type');
  // Security: a short-lived hand-off token; the SDK checks exp but not a lifetime or iat.
  if (iat > now + CLOCK_SKEW_SECONDS || exp <= iat || exp - iat > MAX_LIFETIME_SECONDS) {
    throw fail('lifetime');
  }

  // Security: both routing claims are required and must look like Scalekit ids. This is also what
  // refuses an access or ID token of the same environment (same keys, but `oid`, no
  // `organization_id`/`connection_id`) presented as an IdP-initiated login.
  const organizationId = claims.organization_id;
  const connectionId = claims.connection_id;
  if (typeof organizationId !== 'string' || !HINT_PATTERNS.organizationId.test(organizationId)) {
    throw fail('organization_id');
  }
  if (typeof connectionId !== 'string' || !HINT_PATTERNS.connectionId.test(connectionId)) {
    throw fail('connection_id');
  }
  const loginHint = claims.login_hint;
  if (loginHint !== undefined && typeof loginHint !== 'string') throw fail('login_hint type');
  const relayState = claims.relay_state;
  if (relayState !== undefined && typeof relayState !== 'string') throw fail('relay_state type');

  return {
    // Security: relay_state only ever becomes a validated same-origin path, never the OAuth state.
    returnTo: safeReturnTo(relayState),
    hints: {
      organizationId,
      connectionId,
      // A prefill only: an IdP's NameID that is not an email address is left out, not refused.
      ...(loginHint && HINT_PATTERNS.loginHint.test(loginHint) && { loginHint }),
    },
  };
}

/**
 * The callback's share of the hand-off: verify here, then send the browser to /login with the
 * verified hints only (the token itself never goes into another URL). Bad token → the error page.
 */
export async function idpInitiatedLoginHref(params: URLSearchParams): Promise<string> {
  try {
    const login = await idpInitiatedLogin(params.get(IDP_INITIATED_LOGIN_PARAM) ?? '');
    return loginHref({ returnTo: login.returnTo, ...login.hints });
  } catch (error) {
    if (!isAuthError(error)) throw error;
    console.warn(`[auth] callback refused an idp-initiated login: ${error.code}`);
    return authErrorPath(error.code);
  }
}
