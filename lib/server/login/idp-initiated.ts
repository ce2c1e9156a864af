import 'server-only';
import { decodeProtectedHeader, type JWTPayload } from 'jose';
import { AuthError, isAuthError } from '@/lib/auth/outcomes';
import { classifyIdpError, isAdvertisedIssuer, getScalekit } from '@/lib/server/scalekit';
import { HINT_PATTERNS, type LoginHints } from './start';
import { loginHref } from '@/lib/auth/login-href';
import { authErrorPath } from '@/lib/auth/paths';
import { safeReturnTo } from '@/lib/auth/redirects';

/**
 * IdP-initiated SSO: Scalekit sends the browser to the Initiate Login URL (/login) with
 * `?idp_initiated_login=<JWT>` (the SDK README reads it on the callback instead; both routes
 * hand it here). The token is never a session: it only says which connection, organization and
 * user to start a normal SP-initiated login for, so the user still signs in at the IdP and the
 * callback still checks state, PKCE and the ID token.
 */

export const IDP_INITIATED_LOGIN_PARAM = 'idp_initiated_login';

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
