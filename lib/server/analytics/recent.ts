import 'server-only';
import { getConfig } from '@/lib/server/config';
import type Redis from 'ioredis';
import { analyticsPipeline, analyticsRedis } from './analytics';
import { toWire, type WireEvent } from './events';
import { readUserStream } from './sinks/redis-stream';

export type RecentActivity = {
  events: WireEvent[];
  source: 'redis' | 'memory';
  available: boolean;
};

const key = (e: WireEvent) => `${e.at}|${e.source}|${e.name}`;

/**
 * A user's last events for the dashboard. With Redis: their short per-user stream (one
 * XREVRANGE, whatever the size of the main stream; other instances' events included), merged
 * with this process's own latest events, which may still wait in a batch. Without: this
 * process's memory. Redis down shows as "unavailable", never as an error page.
 */
export async function recentActivity(userId: string, limit = 10): Promise<RecentActivity> {
  const config = getConfig().analytics;
  const local = (analyticsPipeline().recent?.recent(userId, limit) ?? []).map(toWire);
  if (!config.sinks.includes('redis')) return { events: local, source: 'memory', available: true };
  const redis = analyticsRedis();
  if (!redis) return { events: [], source: 'redis', available: false };
  let stored: WireEvent[];
  try {
    await connected(redis);
    stored = await readUserStream(redis, config.redisStream, userId, limit);
  } catch {
    return { events: [], source: 'redis', available: false };
  }
  const seen = new Set(stored.map(key));
  const merged = [...stored, ...local.filter((e) => !seen.has(key(e)))];
  merged.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { events: merged.slice(0, limit), source: 'redis', available: true };
}

/** A connection still being made gets a moment (the client fails fast while not ready). */
async function connected(redis: Redis, waitMs = 500): Promise<void> {
  if (redis.status === 'ready' || (redis.status !== 'connecting' && redis.status !== 'connect')) {
    return;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    redis.once('ready', done);
  });
}
