import 'server-only';
import { createHash, hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import { getConfig } from './config';

/**
 * Sealed cookies: every auth cookie is a compact JWE (`dir` + `A256GCM`) whose key is derived
 * from SESSION_COOKIE_SECRET with HKDF-SHA256. The payload carries its own expiry and the cookie
 * name it was written for, so a value copied into another cookie, or kept past its life, opens
 * as nothing.
 */

// Security: browsers drop cookies over 4096 bytes; refuse to even parse absurd inputs.
const MAX_SEALED_LENGTH = 16 * 1024;
const HKDF_INFO = 'scalekit-nextjs/session-cookie/v1';

type SealingKey = { kid: string; key: Uint8Array };

const keyCache = new Map<string, SealingKey>();

function deriveKey(secret: string): SealingKey {
  let entry = keyCache.get(secret);
  if (!entry) {
    const key = new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), HKDF_INFO, 32));
    // The kid names the key without revealing it: a hash of the derived key, not of the secret.
    const kid = createHash('sha256').update(key).digest('base64url').slice(0, 16);
    entry = { kid, key };
    keyCache.set(secret, entry);
  }
  return entry;
}

function keys(secrets: readonly string[]): SealingKey[] {
  return secrets.map(deriveKey);
}

export type SealOptions = {
  /** Absolute expiry, seconds since the epoch. The cookie is never trusted past it. */
  expiresAt: number;
  secrets?: readonly string[];
};

export async function seal(
  purpose: string,
  payload: Record<string, unknown>,
  { expiresAt, secrets = getConfig().cookieSecrets }: SealOptions,
): Promise<string> {
  const [current] = keys(secrets);
  if (!current) throw new Error('seal() needs at least one secret');
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.kid })
    .setAudience(purpose)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .encrypt(current.key);
}

/**
 * Opens a sealed value, or returns null: tampered, truncated, expired, written for another
 * cookie, or sealed with a secret that is no longer listed all mean "no session", never a throw.
 */
export async function unseal<T extends JWTPayload>(
  purpose: string,
  sealed: string | undefined | null,
  { secrets = getConfig().cookieSecrets }: { secrets?: readonly string[] } = {},
): Promise<T | null> {
  if (!sealed || sealed.length > MAX_SEALED_LENGTH) return null;
  const candidates = keys(secrets);
  try {
    const { payload } = await jwtDecrypt<T>(
      sealed,
      (header) => {
        // Security: the kid picks exactly one key; an unknown kid is a retired or foreign secret.
        const match = candidates.find((k) => k.kid === header.kid);
        if (!match) throw new Error('unknown kid');
        return match.key;
      },
      {
        audience: purpose,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        requiredClaims: ['exp'],
      },
    );
    return payload;
  } catch {
    return null;
  }
}

export type CookieOptions = {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax';
  path: string;
  maxAge?: number;
};

/** HttpOnly always, SameSite=Lax, Secure whenever the app runs on https. */
export function cookieOptions(path: string, maxAge?: number): CookieOptions {
  return {
    httpOnly: true,
    secure: getConfig().secureCookies,
    sameSite: 'lax',
    path,
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
