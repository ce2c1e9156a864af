import 'server-only';
import { getConfig } from '@/lib/server/config';
import { getRedis } from '@/lib/server/redis';
import { analyticsPipeline } from './analytics';
import { toWire, type WireEvent } from './events';
import { readUserStream } from './sinks/redis-stream';

export type RecentActivity = {
  events: WireEvent[];
  source: 'redis' | 'memory';
  available: boolean;
};

/**
 * A user's last events for the dashboard: from their short per-user stream when analytics goes
 * to Redis (one XREVRANGE, whatever the size of the main stream), else from this process's
 * memory. Redis down shows as "unavailable", never as an error page.
 */
export async function recentActivity(userId: string, limit = 10): Promise<RecentActivity> {
  const config = getConfig().analytics;
  if (!config.sinks.includes('redis')) {
    const events = analyticsPipeline().recent?.recent(userId, limit) ?? [];
    return { events: events.map(toWire), source: 'memory', available: true };
  }
  const redis = getRedis();
  if (!redis) return { events: [], source: 'redis', available: false };
  try {
    return {
      events: await readUserStream(redis, config.redisStream, userId, limit),
      source: 'redis',
      available: true,
    };
  } catch {
    return { events: [], source: 'redis', available: false };
  }
}
