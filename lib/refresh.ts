import 'server-only';
import { createHash } from 'node:crypto';
import { AuthError } from './errors';
import { classifyIdpError } from './idp-errors';
import { getScalekit } from './scalekit';
import { verifyAccessToken } from './tokens';

export type RotatedTokens = { accessToken: string; refreshToken: string; expiresAt: number };

/**
 * Refresh tokens rotate on every use and the IdP revokes the whole family when a spent one comes
 * back, so two concurrent refreshes with the same token would end the session. Requests in this
 * process that carry the same refresh token therefore share one exchange, and for a short grace
 * period afterwards a late request with the old token gets the new tokens instead of spending it.
 */
const GRACE_MS = 10_000;
const MAX_ENTRIES = 1_000;

type Entry = { promise: Promise<RotatedTokens>; settledAt?: number };
const inFlight = new Map<string, Entry>();

// Security: the raw refresh token is never a map key; a hash is enough to match requests.
const keyOf = (refreshToken: string) =>
  createHash('sha256').update(refreshToken).digest('base64url');

function prune(now: number) {
  for (const [key, entry] of inFlight) {
    if (entry.settledAt !== undefined && now - entry.settledAt > GRACE_MS) inFlight.delete(key);
  }
  // Bounded memory even under a flood of distinct tokens: drop the oldest settled entries.
  for (const [key, entry] of inFlight) {
    if (inFlight.size <= MAX_ENTRIES) break;
    if (entry.settledAt !== undefined) inFlight.delete(key);
  }
}

async function exchange(refreshToken: string): Promise<RotatedTokens> {
  let tokens;
  try {
    tokens = await getScalekit().refreshAccessToken(refreshToken);
  } catch (error) {
    throw new AuthError(
      classifyIdpError(error) === 'unavailable' ? 'idp_unavailable' : 'refresh_token_invalid',
      undefined,
      { cause: error },
    );
  }
  const verified = await verifyAccessToken(tokens.accessToken);
  if (!verified.ok) {
    throw new AuthError(
      verified.reason === 'unavailable' ? 'idp_unavailable' : 'refresh_token_invalid',
    );
  }
  return { ...tokens, expiresAt: verified.claims.exp };
}

/** Rotates a refresh token, sharing the exchange with concurrent callers holding the same one. */
export function refreshTokens(refreshToken: string): Promise<RotatedTokens> {
  const now = Date.now();
  prune(now);
  const key = keyOf(refreshToken);
  const existing = inFlight.get(key);
  if (existing) return existing.promise;
  const entry: Entry = { promise: exchange(refreshToken) };
  inFlight.set(key, entry);
  entry.promise.then(
    () => {
      entry.settledAt = Date.now();
    },
    // A failure is not kept: the next attempt (say, after an outage) must really try again.
    () => inFlight.delete(key),
  );
  return entry.promise;
}
