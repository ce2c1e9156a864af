import 'server-only';
import { hash } from 'node:crypto';
import { getConfig, type Config } from '@/lib/server/config';

/**
 * Verified-session memo. One sealed cookie serves every request until the next refresh, so
 * decrypting it and verifying its JWT again on each request is repeated work with a repeated
 * answer. After a cookie has been fully opened and verified, its result is kept here, keyed by a
 * SHA-256 of the exact sealed bytes, until the earliest of: the access token's `exp`, the sealed
 * absolute expiry, and the idle deadline. Why this is safe:
 * - The key is a hash of the whole JWE (header with the key id, IV, ciphertext and tag). Any
 *   change to the cookie, one bit or a different secret, is a different key: a miss that goes
 *   through full verification.
 * - Only successes are stored. A tampered, expired or foreign cookie is never remembered, so the
 *   memo cannot turn a failure into a session.
 * - A hit still checks the deadline against the clock, so nothing outlives the token.
 * - The memo belongs to one configuration: a new config (a retired cookie secret, another IdP or
 *   client id) empties it.
 * - It holds what getSession() would return anyway; the raw token is not a key.
 * What it does not do: notice a key the IdP withdrew from its JWKS before the token expires. With
 * access tokens of minutes, that window is the token's own lifetime, the same trust any stateless
 * JWT check gives.
 */
const MAX_ENTRIES = 10_000;

type Entry<T> = { value: T; validUntilMs: number };

let owner: Config | undefined;
const entries = new Map<string, Entry<unknown>>();

function current(): Map<string, Entry<unknown>> {
  const config = getConfig();
  if (owner !== config) {
    entries.clear();
    owner = config;
  }
  return entries;
}

// One-shot crypto.hash(): the same SHA-256 without a Hash object, about a third of the cost of
// createHash().update().digest() on a 1.7 KB cookie, and this runs on every request.
export function memoKey(sealed: string): string {
  return hash('sha256', sealed, 'base64url');
}

export function recall<T>(key: string): T | undefined {
  const map = current();
  const entry = map.get(key);
  if (!entry) return undefined;
  if (entry.validUntilMs <= Date.now()) {
    map.delete(key);
    return undefined;
  }
  // Least-recently-used order: a hit moves to the back.
  map.delete(key);
  map.set(key, entry);
  return entry.value as T;
}

export function remember<T>(key: string, value: T, validUntilMs: number): void {
  if (validUntilMs <= Date.now()) return;
  const map = current();
  map.delete(key);
  map.set(key, { value, validUntilMs });
  while (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

/** Tests and benchmarks only. */
export function clearSessionMemo(): void {
  entries.clear();
}

export function sessionMemoSize(): number {
  return entries.size;
}
