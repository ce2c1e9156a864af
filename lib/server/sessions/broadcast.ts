import 'server-only';
import type Redis from 'ioredis';
import { getConfig } from '@/lib/server/config';
import { getRedis } from '@/lib/server/redis';
import { denyLocally } from '@/lib/server/session/session';
import { onShutdown } from '@/lib/server/shutdown';

/**
 * Revocations shared by every instance through Redis (REDIS_URL), so a revoked session is
 * refused everywhere within a second without any network call on the request path:
 * - PUBLISH on one channel: every running instance's subscriber puts the keys into its local
 *   deny set (lib/server/session/session.ts `denyLocally`) as the message arrives.
 * - A sorted set of recent revocations (score: when the record may go): an instance that starts
 *   later, or whose subscriber was disconnected, loads it on every (re)connect.
 * Messages carry deny keys (hashes), never a session id or a token.
 *
 * Without Redis every instance knows only its own revocations; the others refuse the session at
 * its next refresh, which the IdP (revoked session) or the refresh store (signed-out app session)
 * turns down. Redis down: the same, and a warning in the log; never an error for the request.
 */
const CHANNEL = 'sk:revocations';
const RECENT = 'sk:revocations:recent';
/** The sorted set keeps at most this many records, the longest-lived first. */
const MAX_RECORDS = 50_000;
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const WARN_EVERY_MS = 30_000;

let lastWarning = 0;
function warn(what: string, error: unknown) {
  const now = Date.now();
  if (now - lastWarning < WARN_EVERY_MS) return;
  lastWarning = now;
  const reason = error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
  console.warn(
    `[auth] revocation broadcast: ${what} failed (${reason}); this instance still refuses the session`,
  );
}

/**
 * Tells every other instance. Resolves false when there is no Redis or it did not answer (the
 * local deny set, which the caller filled first, still holds). Never throws.
 */
export async function publishRevocation(
  keys: readonly string[],
  untilMs: number,
): Promise<boolean> {
  const redis = getRedis();
  if (!redis || keys.length === 0) return false;
  try {
    const records: (string | number)[] = [];
    for (const key of keys) records.push(untilMs, key);
    // The record first: an instance that connects between the two commands still finds it.
    await redis
      .multi()
      .zadd(RECENT, ...records)
      .zremrangebyscore(RECENT, '-inf', Date.now())
      .zremrangebyrank(RECENT, 0, -MAX_RECORDS - 1)
      .exec();
    await redis.publish(CHANNEL, JSON.stringify({ k: keys, u: untilMs }));
    return true;
  } catch (error) {
    warn('publish', error);
    return false;
  }
}

/** The longest a deny record is honoured: no cookie of any session outlives SESSION_MAX_AGE. */
const latestUntil = () => Date.now() + getConfig().session.maxAgeSeconds * 1000;

/** Applies one broadcast message; anything malformed is ignored. */
export function applyRevocationMessage(message: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return 0;
  }
  const { k, u } = (parsed ?? {}) as { k?: unknown; u?: unknown };
  if (!Array.isArray(k) || typeof u !== 'number' || !Number.isFinite(u)) return 0;
  const keys = k.filter((key): key is string => typeof key === 'string' && KEY_SHAPE.test(key));
  denyLocally(keys, Math.min(u, latestUntil()));
  return keys.length;
}

/** Loads the records still in force (after a start or a reconnect). */
async function catchUp(redis: Redis): Promise<void> {
  const flat = await redis.zrangebyscore(
    RECENT,
    Date.now(),
    '+inf',
    'WITHSCORES',
    'LIMIT',
    0,
    MAX_RECORDS,
  );
  const latest = latestUntil();
  const byUntil = new Map<number, string[]>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const key = flat[i]!;
    const until = Math.min(Number(flat[i + 1]), latest);
    if (!KEY_SHAPE.test(key) || !Number.isFinite(until)) continue;
    const group = byUntil.get(until);
    if (group) group.push(key);
    else byUntil.set(until, [key]);
  }
  for (const [until, keys] of byUntil) denyLocally(keys, until);
}

// Per process, not per bundle copy of this module (see `denied` in session.ts): one subscriber.
const FEED = Symbol.for('scalekit-nextjs.revocation-feed');
const perProcess = globalThis as typeof globalThis & { [FEED]?: Redis };

/**
 * Subscribes this instance to revocations (idempotent; a no-op without REDIS_URL). Called at
 * server start (instrumentation.ts) so that an instance refuses a session revoked elsewhere
 * before it has served a single request.
 */
export function startRevocationFeed(): void {
  if (perProcess[FEED]) return;
  const redis = getRedis();
  if (!redis) return;
  // Its own connection: a subscribed connection takes no other commands.
  const subscriber = redis.duplicate();
  perProcess[FEED] = subscriber;
  subscriber.on('error', () => undefined);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === CHANNEL) applyRevocationMessage(message);
  });
  // Subscribed first, then the records loaded, after every (re)connect: whatever was published
  // while this subscriber was not listening is in the sorted set. The command connection may
  // come up after the subscriber, so its 'ready' catches up as well.
  const load = () => void catchUp(redis).catch((error) => warn('catch-up', error));
  subscriber.on('ready', () => {
    subscriber.subscribe(CHANNEL).then(load, (error) => warn('subscribe', error));
  });
  redis.on('ready', load);
  onShutdown('revocation-feed', async () => {
    redis.off('ready', load);
    perProcess[FEED] = undefined;
    await subscriber.quit().catch(() => subscriber.disconnect());
  });
}
