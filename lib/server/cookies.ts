import 'server-only';
import { createHash, hkdfSync } from 'node:crypto';
import { decodeJwt, EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import { getConfig } from './config';
import type { AppOrigin } from './http';

/**
 * Sealed cookies: every auth cookie is a compact JWE (`dir` + `A256GCM`) whose key is derived
 * from SESSION_COOKIE_SECRET with HKDF-SHA256. The payload carries its own expiry and the cookie
 * name it was written for, so a value copied into another cookie, or kept past its life, opens
 * as nothing.
 */

// Security: browsers drop cookies over 4096 bytes; refuse to even parse absurd inputs.
const MAX_SEALED_LENGTH = 16 * 1024;
const HKDF_INFO = 'scalekit-nextjs/session-cookie/v1';

type SealingKey = {
  kid: string;
  /** The imported key once ready; until then, `importing`. */
  key?: CryptoKey;
  importing: Promise<CryptoKey>;
};

const keyCache = new Map<string, SealingKey>();

function deriveKey(secret: string): SealingKey {
  let entry = keyCache.get(secret);
  if (!entry) {
    const raw = new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), HKDF_INFO, 32));
    // The kid names the key without revealing it: a hash of the derived key, not of the secret.
    const kid = createHash('sha256').update(raw).digest('base64url').slice(0, 16);
    // Imported once, not extractable. Handing jose raw bytes instead makes it import the key
    // again on every seal and unseal: an extra WebCrypto round trip that measured as a third of
    // the cost of opening a cookie (`npm run bench`).
    const importing = globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
    const created: SealingKey = { kid, importing };
    // Callers await `importing` itself and see a failure there; this only records success.
    importing.then(
      (key) => (created.key = key),
      () => undefined,
    );
    entry = created;
    keyCache.set(secret, entry);
  }
  return entry;
}

const cryptoKeyOf = (k: SealingKey) => k.key ?? k.importing;

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
    .encrypt(await cryptoKeyOf(current));
}

/**
 * Opens a sealed value, or returns null: tampered, truncated, expired, written for another
 * cookie, or sealed with a secret that is no longer listed all mean "no session", never a throw.
 */
export async function unseal<T extends JWTPayload>(
  purpose: string,
  sealed: string | undefined | null,
  {
    secrets = getConfig().cookieSecrets,
    maxIdleSeconds,
  }: { secrets?: readonly string[]; maxIdleSeconds?: number } = {},
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
        return cryptoKeyOf(match);
      },
      {
        audience: purpose,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        requiredClaims: ['exp', 'iat'],
        // `iat` is when the cookie was last written (sign-in or refresh): the idle clock.
        ...(maxIdleSeconds === undefined ? {} : { maxTokenAge: maxIdleSeconds }),
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
export function cookieOptions(
  origin: Pick<AppOrigin, 'secure'>,
  path: string,
  maxAge?: number,
): CookieOptions {
  return {
    httpOnly: true,
    secure: origin.secure,
    sameSite: 'lax',
    path,
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Chunking. Browsers drop a cookie whose name and value exceed 4096 bytes, and a sealed access
 * token with many permissions can. A value longer than CHUNK_SIZE is written as `name.0`,
 * `name.1`, ... and joined on read. A set with a gap, an extra chunk, or a plain cookie beside
 * chunks is ambiguous and reads as nothing.
 */
export const CHUNK_SIZE = 3800;
export const MAX_CHUNKS = 8;

export type CookieReader = { getAll(): { name: string; value: string }[] };
type CookieWriter = { set(name: string, value: string, options: CookieOptions): unknown };

function chunkIndexes(cookies: CookieReader, name: string): Map<number, string> {
  const prefix = `${name}.`;
  const found = new Map<number, string>();
  for (const cookie of cookies.getAll()) {
    if (!cookie.name.startsWith(prefix)) continue;
    const index = cookie.name.slice(prefix.length);
    // Canonical decimal only: `name.01` or `name.+1` is not a chunk we ever wrote.
    found.set(/^(0|[1-9]\d{0,2})$/.test(index) ? Number(index) : -1, cookie.value);
  }
  return found;
}

export function readChunked(cookies: CookieReader, name: string): string | undefined {
  const plain = cookies.getAll().find((c) => c.name === name)?.value;
  const chunks = chunkIndexes(cookies, name);
  if (chunks.size === 0) return plain || undefined;
  if (plain !== undefined || chunks.size > MAX_CHUNKS) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < chunks.size; i++) {
    const part = chunks.get(i);
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return parts.join('');
}

/** Writes `value` whole or in chunks, and deletes whatever the previous write left behind. */
export function writeChunked(
  response: { cookies: CookieWriter },
  existing: CookieReader,
  name: string,
  value: string,
  options: CookieOptions,
): void {
  const deletion = { ...options, maxAge: 0 };
  const stale = chunkIndexes(existing, name);
  if (value.length <= CHUNK_SIZE) {
    response.cookies.set(name, value, options);
    for (const index of stale.keys())
      if (index >= 0) response.cookies.set(`${name}.${index}`, '', deletion);
    return;
  }
  const count = Math.ceil(value.length / CHUNK_SIZE);
  if (count > MAX_CHUNKS) throw new Error(`sealed ${name} is too large for cookies`);
  for (let i = 0; i < count; i++) {
    response.cookies.set(
      `${name}.${i}`,
      value.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE),
      options,
    );
  }
  if (existing.getAll().some((c) => c.name === name)) response.cookies.set(name, '', deletion);
  for (const index of stale.keys())
    if (index >= count) response.cookies.set(`${name}.${index}`, '', deletion);
}

/** Deletes a cookie and every chunk of it the browser sent. */
export function deleteChunked(
  response: { cookies: CookieWriter },
  existing: CookieReader,
  name: string,
  options: CookieOptions,
): void {
  const deletion = { ...options, maxAge: 0 };
  response.cookies.set(name, '', deletion);
  for (const index of chunkIndexes(existing, name).keys()) {
    if (index >= 0) response.cookies.set(`${name}.${index}`, '', deletion);
  }
}

/**
 * A string claim of a token this app sealed into one of its cookies. Such a token passed
 * verification before it was sealed, so reading it back needs no second verification (it may
 * have expired since: use this for what a session was, not to accept one).
 */
export function claimOfSealedToken(token: unknown, claim: string): string | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const value = decodeJwt(token)[claim];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
