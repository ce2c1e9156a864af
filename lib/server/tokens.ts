import 'server-only';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { getConfig } from './config';
import { isAdvertisedIssuer, trustedIssuers } from './scalekit';
import { exposeToTests } from './test-seams';

/**
 * Token verification with jose against the IdP's JWKS. The key set is fetched once and cached;
 * an unknown `kid` triggers a refetch, so a key rotation at the IdP needs no restart.
 */

export type AccessTokenClaims = JWTPayload & {
  sub: string;
  exp: number;
  /** Scalekit organization id (org_...). Absent in Modular SSO tokens. */
  oid?: string;
  sid?: string;
  client_id?: string;
  roles?: string[];
  permissions?: string[];
};

export type IdTokenClaims = JWTPayload & {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  nonce?: string;
  azp?: string;
  at_hash?: string;
  sid?: string;
};

// Security: RS256 only. Never trust the token's own `alg`: that is how `none` and HS256-with-
// the-public-key forgeries get in.
const ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Claims OpenID Connect defines for ID tokens and RFC 9068 does not use in access tokens. Every
 * ID token Scalekit documents carries `at_hash`, `c_hash` and `azp`; no access token it documents
 * carries any of these.
 */
const ID_TOKEN_ONLY_CLAIMS = ['nonce', 'at_hash', 'c_hash', 'azp'] as const;

/**
 * Security: an ID token must never pass as an access token (nor the reverse), and `typ` cannot
 * tell them apart (Scalekit sets no `at+jwt`). An access token has `jti` and `client_id` (RFC 9068
 * requires both; every documented Scalekit access token, FSA, Modular SSO and M2M, has them; no
 * documented ID token has `jti`) and none of the ID-token-only claims above.
 */
export function isAccessTokenShape(claims: JWTPayload): boolean {
  return (
    typeof claims.jti === 'string' &&
    claims.jti !== '' &&
    typeof claims.client_id === 'string' &&
    ID_TOKEN_ONLY_CLAIMS.every((name) => claims[name] === undefined)
  );
}

let jwks: { url: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

function keySet() {
  const url = `${getConfig().scalekit.envUrl}/keys`;
  if (jwks?.url !== url) {
    jwks = {
      url,
      set: createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 2_000 }),
    };
  }
  return jwks.set;
}

export type VerifyResult<T> =
  | { ok: true; claims: T }
  | { ok: false; reason: 'expired' | 'invalid' | 'unavailable'; error: unknown };

function classify(error: unknown): 'expired' | 'invalid' | 'unavailable' {
  if (error instanceof errors.JWTExpired) return 'expired';
  // The key set could not be fetched: that says nothing about the token.
  if (
    error instanceof errors.JWKSTimeout ||
    (error instanceof Error && error.name === 'TypeError')
  ) {
    return 'unavailable';
  }
  return 'invalid';
}

const refused = <T>(why: string): VerifyResult<T> => ({
  ok: false,
  reason: 'invalid',
  error: new Error(why),
});

export type KeySource = Parameters<typeof jwtVerify>[1] & ((...args: never[]) => unknown);

type TokenKind = 'access' | 'id';

function audiences(kind: TokenKind): string | string[] {
  const { clientId, accessTokenAudiences } = getConfig().scalekit;
  return kind === 'access' && accessTokenAudiences.length
    ? [clientId, ...accessTokenAudiences]
    : clientId;
}

function check<T extends JWTPayload>(
  token: string,
  keys: KeySource,
  issuers: string[],
  kind: TokenKind,
) {
  return jwtVerify<T>(token, keys, {
    algorithms: ALGORITHMS,
    issuer: issuers,
    // jose accepts `aud` as a string or an array containing one of these (Scalekit sends arrays).
    audience: audiences(kind),
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'exp', 'iat'],
  });
}

/** Signature (RS256 only), iss, aud, exp/nbf with a small tolerance; shared by both token kinds. */
async function verify<T extends JWTPayload>(
  token: string,
  keys: KeySource,
  kind: TokenKind,
): Promise<VerifyResult<T>> {
  try {
    return { ok: true, claims: (await check<T>(token, keys, trustedIssuers(), kind)).payload };
  } catch (error) {
    // A correctly signed token naming another issuer: a custom auth domain, when the env URL's
    // discovery document advertises it (lib/server/scalekit.ts).
    if (
      error instanceof errors.JWTClaimValidationFailed &&
      error.claim === 'iss' &&
      typeof error.payload.iss === 'string'
    ) {
      const verdict = await isAdvertisedIssuer(error.payload.iss);
      if (verdict === 'unavailable') return { ok: false, reason: 'unavailable', error };
      if (verdict === 'trusted') {
        try {
          return {
            ok: true,
            claims: (await check<T>(token, keys, trustedIssuers(), kind)).payload,
          };
        } catch (retryError) {
          return { ok: false, reason: classify(retryError), error: retryError };
        }
      }
    }
    return { ok: false, reason: classify(error), error };
  }
}

async function verifyAccess(
  token: string,
  keys: KeySource,
): Promise<VerifyResult<AccessTokenClaims>> {
  const result = await verify<AccessTokenClaims>(token, keys, 'access');
  if (!result.ok) return result;
  if (!isAccessTokenShape(result.claims)) return refused('not an access token');
  // Security: an access token for an API audience (not our client id) must at least have been
  // issued to this client; a token another client of the environment holds is not ours.
  if (!hasAudience(result.claims.aud, getConfig().scalekit.clientId)) {
    if (result.claims.client_id !== getConfig().scalekit.clientId) {
      return refused('issued to another client');
    }
  }
  return result;
}

/** A bearer or cookie access token: verify() plus the access-token shape. */
export function verifyAccessToken(token: string): Promise<VerifyResult<AccessTokenClaims>> {
  return verifyAccess(token, keySet());
}

exposeToTests('verifyAccessTokenWith', verifyAccess);

function hasAudience(aud: unknown, value: string): boolean {
  return aud === value || (Array.isArray(aud) && aud.includes(value));
}

/** OIDC Core 3.1.3.6: the left half of the SHA-256 (RS256) of the access token, base64url. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256')
    .update(accessToken, 'ascii')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/**
 * Verifies an ID token from a code exchange (OIDC Core 3.1.3.7): signature, iss, aud, exp, then
 * `azp`, `nonce` and `at_hash` whenever the token carries them. `accessToken` is the one that came
 * in the same token response.
 */
export async function verifyIdToken(
  token: string,
  expected: { nonce: string; accessToken: string },
): Promise<VerifyResult<IdTokenClaims>> {
  const result = await verify<IdTokenClaims>(token, keySet(), 'id');
  if (!result.ok) return result;
  const claims = result.claims;
  if (isAccessTokenShape(claims)) return refused('an access token, not an ID token');
  // Security: with several audiences, `azp` names the client the token was issued to.
  if (claims.azp !== undefined && claims.azp !== getConfig().scalekit.clientId) {
    return refused('azp is another client');
  }
  // Security: Scalekit documents no nonce in its ID tokens; when one is echoed it must be this
  // login's (replay defense). Without one, PKCE + state bind the code (docs/6-security.md).
  if (claims.nonce !== undefined && claims.nonce !== expected.nonce) {
    return refused('nonce mismatch');
  }
  // Security: at_hash is the documented binding between the ID token and its access token.
  if (claims.at_hash !== undefined && claims.at_hash !== accessTokenHash(expected.accessToken)) {
    return refused('at_hash does not match the access token');
  }
  return result;
}
