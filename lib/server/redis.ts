import 'server-only';
import Redis from 'ioredis';
import { getConfig } from './config';
import { onShutdown } from './shutdown';

/**
 * An ioredis client tuned to fail fast: no offline queue (a command while disconnected errors
 * at once instead of waiting for a reconnect), short connect and command timeouts, background
 * reconnects. Every caller then sees an outage within a few hundred milliseconds and falls back.
 */
export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
  // Connection errors are reported by the calls that fail; without a listener ioredis would
  // print each reconnect attempt as an unhandled error.
  client.on('error', () => undefined);
  return client;
}

// One per process, on globalThis: instrumentation.ts (which connects at start) and the routes
// are separate bundles with a copy of this module each, and two copies would mean two
// connections, one of them never closed on shutdown.
const SHARED = Symbol.for('scalekit-nextjs.redis');
const holder = globalThis as { [SHARED]?: Redis };

/**
 * The process's one command connection to REDIS_URL, or undefined when it is not set. Features
 * that need Redis (refresh coordination, revocations, analytics) share it; a subscriber needs a
 * connection of its own (`getRedis()?.duplicate()`), since a subscribed connection takes no
 * other commands.
 */
export function getRedis(): Redis | undefined {
  const existing = holder[SHARED];
  if (existing) return existing;
  const { redisUrl } = getConfig();
  if (!redisUrl) return undefined;
  const client = createRedisClient(redisUrl);
  holder[SHARED] = client;
  onShutdown('redis', async () => {
    // Hooks start together, and some write through this connection as they stop (analytics'
    // last batch). Their commands are queued within this turn; QUIT goes after them.
    await new Promise((resolve) => setImmediate(resolve));
    await client.quit().catch(() => client.disconnect());
  });
  return client;
}
