import 'server-only';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { AuthError } from '@/lib/auth/outcomes';
import { classifyIdpError, getScalekit } from '@/lib/server/scalekit';
import { MemoryRefreshStore, type RefreshStore, type RotatedTokens } from './store';
import { createRedisRefreshStore } from './store-redis';
import { getRedis } from '@/lib/server/redis';
import { rememberRevoked, revokedHere, sessionIdKey } from '@/lib/server/session/session';
import { verifyAccessToken } from '@/lib/server/tokens';

export type { RotatedTokens } from './store';

/**
 * Refresh tokens rotate on every use and the IdP revokes the whole family when a spent one comes
 * back, so two concurrent refreshes with the same token would end the session. Every request
 * holding a given refresh token therefore shares one exchange, and for GRACE_MS afterwards a
 * late request that still carries the old token (a tab whose cookie had not updated yet, a
 * request sent before the Set-Cookie arrived) gets the new tokens instead of spending it again.
 *
 * The price of the grace period: whoever replays a stolen old token within those seconds gets
 * the new tokens too. Ten seconds covers real races; after it, replay ends the session.
 */
const GRACE_MS = 10_000;

/**
 * How long a request waits for a refresh before it answers "temporarily unavailable". Shorter
 * than the SDK's 10 s timeout (lib/server/scalekit.ts) on purpose: a navigation should not hang for
 * 10 s, and the token endpoint normally answers in well under a second. The exchange itself keeps
 * running for its full timeout and keeps its lock: if the IdP answers late, it has already spent
 * the old token, and the new tokens must land in the store for the client's retry rather than be
 * lost (which would turn the retry into a reuse, and the reuse into a logout).
 */
const WAIT_MS = 5_000;

/** Lock lifetime: only matters if its holder dies; must outlast the SDK timeout (10 s). */
const LEASE_MS = 15_000;

let chosen: RefreshStore | undefined;

/**
 * The in-memory store for one instance; with REDIS_URL set, a Redis store shared by every
 * instance (lib/server/refresh/store-redis.ts), which falls back to in-process coordination when Redis
 * is unreachable.
 */
function store(): RefreshStore {
  if (!chosen) {
    const redis = getRedis();
    chosen = redis ? createRedisRefreshStore(redis) : new MemoryRefreshStore();
  }
  return chosen;
}

/** Builds the store at server start, so a shared store is connected before the first refresh. */
export function warmRefreshStore(): void {
  store();
}

/** Swap in another store (tests, or a shared store other than Redis). */
export function setRefreshStore(next: RefreshStore): void {
  chosen = next;
}

/**
 * Requests in this process holding the same token share one promise, so they also share a
 * failure: fifty requests during an outage make one attempt, not fifty in a row.
 */
const inProcess = new Map<string, Promise<RotatedTokens>>();

// Security: the raw refresh token is never a key (here or in a shared store) nor logged.
const keyOf = (refreshToken: string) =>
  createHash('sha256').update(refreshToken).digest('base64url');

const unavailable = () => new AuthError('idp_unavailable');

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
  if (verified.ok) return { ...tokens, expiresAt: verified.claims.exp };
  if (verified.reason === 'unavailable') {
    // The IdP has spent the old token already, so dropping these would log the user out on the
    // next try. They came straight from the token endpoint over the SDK's authenticated request,
    // which vouches for them; pages verify the access token again before trusting it.
    const { exp } = decodeJwt(tokens.accessToken);
    if (typeof exp === 'number') return { ...tokens, expiresAt: exp };
  }
  throw new AuthError('refresh_token_invalid');
}

async function coordinate(key: string, refreshToken: string, deadline: number) {
  for (;;) {
    const kept = await store().result(key);
    if (kept) return kept;
    // The caller has given up (withDeadline): do not start spending the token for nobody.
    if (Date.now() >= deadline) throw unavailable();
    const lease = await store().acquire(key, LEASE_MS);
    if (!lease) {
      // Someone else is spending it (another instance, with a shared store): wait for them.
      await store().wait(key, deadline - Date.now());
      continue;
    }
    // A result may have landed between result() and acquire(); spending the token now would be
    // exactly the reuse this module exists to prevent.
    const landed = await store().result(key);
    if (landed) {
      await store().release(key, lease);
      return landed;
    }
    const exchanged = exchange(refreshToken);
    // Settles the lock even when every caller has stopped waiting (see WAIT_MS). Should the
    // store itself fail here, the lease's TTL frees the lock.
    exchanged
      .then(
        (tokens) => store().resolve(key, lease, tokens, GRACE_MS),
        () => store().release(key, lease),
      )
      .catch(() => undefined);
    return exchanged;
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Rotates a refresh token, sharing the exchange and its result with every other request that
 * holds the same one. Throws AuthError `refresh_token_invalid` (the IdP said no: the session is
 * over) or `idp_unavailable` (no answer in time: keep the session, try again later).
 */
export function refreshTokens(refreshToken: string): Promise<RotatedTokens> {
  const key = keyOf(refreshToken);
  let shared = inProcess.get(key);
  if (!shared) {
    shared = withDeadline(coordinate(key, refreshToken, Date.now() + WAIT_MS), WAIT_MS).finally(
      () => inProcess.delete(key),
    );
    inProcess.set(key, shared);
  }
  return shared;
}

/**
 * Records a sign-out: no cookie of session `sid` is accepted after this, on this instance at once
 * and, with a shared store, on every other at its next refresh. Kept until `untilSeconds`, the
 * session's absolute expiry, when its cookies die anyway. Never throws: sign-out must complete.
 */
export async function revokeSession(sid: string, untilSeconds: number): Promise<void> {
  rememberRevoked(sid, untilSeconds * 1000);
  try {
    await store().deny(sessionIdKey(sid), untilSeconds * 1000);
  } catch {
    // The in-process record above still holds; FallbackRefreshStore already logged the outage.
  }
}

/** Whether session `sid` was signed out here or on any instance sharing the store. */
export async function isSessionRevoked(sid: string, untilSeconds: number): Promise<boolean> {
  if (revokedHere(sid)) return true;
  let denied = false;
  try {
    denied = await store().isDenied(sessionIdKey(sid));
  } catch {
    return false;
  }
  // Learned from another instance: this one's getSession() now refuses the session too.
  if (denied) rememberRevoked(sid, untilSeconds * 1000);
  return denied;
}
