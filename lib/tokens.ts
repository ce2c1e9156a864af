import 'server-only';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { getConfig } from './config';

/**
 * Token verification with jose against the IdP's JWKS. The key set is fetched once and cached;
 * an unknown `kid` triggers a refetch, so a key rotation at the IdP needs no restart.
 */

export type AccessTokenClaims = JWTPayload & {
  sub: string;
  exp: number;
  /** Scalekit organization id (org_...). */
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
  nonce?: string;
};

// Security: RS256 only. Never trust the token's own `alg`: that is how `none` and HS256-with-
// the-public-key forgeries get in.
const ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 5;

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

type KeySource = Parameters<typeof jwtVerify>[1] & ((...args: never[]) => unknown);

/** Signature (RS256 only), iss, aud, exp/nbf with a small tolerance; shared by both token kinds. */
async function verify<T extends JWTPayload>(
  token: string,
  keys: KeySource,
): Promise<VerifyResult<T>> {
  const { envUrl, clientId } = getConfig().scalekit;
  try {
    const { payload } = await jwtVerify<T>(token, keys, {
      algorithms: ALGORITHMS,
      issuer: envUrl,
      audience: clientId,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: classify(error), error };
  }
}

export function verifyAccessToken(token: string): Promise<VerifyResult<AccessTokenClaims>> {
  return verify<AccessTokenClaims>(token, keySet());
}

/** The access-token checks against any key source (the remote JWKS in production). */
export function verifyWithKeySet(
  token: string,
  keys: KeySource,
): Promise<VerifyResult<AccessTokenClaims>> {
  return verify<AccessTokenClaims>(token, keys);
}

/** Verifies an ID token from the code exchange: signature, iss, aud, exp and the login's nonce. */
export async function verifyIdToken(
  token: string,
  expectedNonce: string,
): Promise<VerifyResult<IdTokenClaims>> {
  const result = await verify<IdTokenClaims>(token, keySet());
  // Security: the nonce binds this ID token to the login this browser started (replay defense).
  if (
    result.ok &&
    (typeof result.claims.nonce !== 'string' || result.claims.nonce !== expectedNonce)
  ) {
    return { ok: false, reason: 'invalid', error: new Error('nonce mismatch') };
  }
  return result;
}
