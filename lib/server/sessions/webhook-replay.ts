import 'server-only';
import { hash } from 'node:crypto';
import { getRedis } from '@/lib/server/redis';
import { exposeToTests } from '@/lib/server/test-seams';

/**
 * Each webhook id is acted on once. A replay (an attacker resending a captured delivery within
 * the timestamp tolerance, or Scalekit retrying one we already took) is acknowledged and ignored.
 * Ids are kept for twice the SDK's ±300 s timestamp tolerance: past that, a replay fails
 * verification anyway. Shared through Redis (`SET NX PX`) so a replay to another instance is
 * caught too; in memory without Redis or while it is down.
 */
const KEEP_MS = 600_000;
const PREFIX = 'sk:webhook:';
const MAX_LOCAL = 10_000;

const seen = new Map<string, number>();

function firstHere(key: string): boolean {
  const now = Date.now();
  const until = seen.get(key);
  if (until !== undefined && until > now) return false;
  seen.delete(key);
  seen.set(key, now + KEEP_MS);
  if (seen.size > MAX_LOCAL) {
    // Insertion order is age order: the oldest ids go first.
    for (const k of seen.keys()) {
      if (seen.size <= MAX_LOCAL) break;
      seen.delete(k);
    }
  }
  return true;
}

/** True the first time a webhook id is claimed (on any instance sharing Redis), false after. */
export async function claimWebhookId(webhookId: string): Promise<boolean> {
  const key = hash('sha256', webhookId, 'base64url');
  if (!firstHere(key)) return false;
  const redis = getRedis();
  if (!redis) return true;
  try {
    return (await redis.set(`${PREFIX}${key}`, '1', 'PX', KEEP_MS, 'NX')) === 'OK';
  } catch {
    // Redis down: this instance's memory still stops replays sent to it.
    return true;
  }
}

exposeToTests('forgetWebhookIds', () => seen.clear());
