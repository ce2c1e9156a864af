import { hash } from 'node:crypto';
import type Redis from 'ioredis';
import { toWire, type WireEvent } from '../events';
import type { Batch, Sink } from './sink';

/** Per-user recent streams keep this many entries and live this long after the last event. */
export const USER_STREAM_LENGTH = 50;
const USER_STREAM_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The per-user stream beside the main one. Reading one person's recent activity out of a shared
 * stream of millions would scan it; a short capped stream per user makes it one XREVRANGE. The
 * name is a hash of the id, so key listings do not enumerate users.
 */
export const userStreamKey = (stream: string, userId: string) =>
  `${stream}:user:${hash('sha256', userId, 'base64url').slice(0, 22)}`;

/**
 * Events into a Redis Stream: `XADD <stream> MAXLEN ~ <cap> * name … user … event <json>`, one
 * pipeline per batch. Other services read the main stream with consumer groups
 * (docs/9-analytics.md); the per-user streams serve the activity panel.
 */
export class RedisStreamSink implements Sink {
  readonly name = 'redis';

  constructor(
    private readonly redis: () => Redis | undefined,
    private readonly stream: string,
    private readonly maxLen: number,
  ) {}

  async write(batch: Batch): Promise<void> {
    const redis = this.redis();
    if (!redis) throw new Error('REDIS_URL is not set');
    const pipeline = redis.pipeline();
    for (const event of batch.events) {
      const json = JSON.stringify(toWire(event));
      const user = event.userId ?? '';
      pipeline.xadd(
        this.stream,
        'MAXLEN',
        '~',
        this.maxLen,
        '*',
        'name',
        event.name,
        'user',
        user,
        'event',
        json,
      );
      if (event.userId) {
        const key = userStreamKey(this.stream, event.userId);
        pipeline.xadd(key, 'MAXLEN', '~', USER_STREAM_LENGTH, '*', 'event', json);
        pipeline.expire(key, USER_STREAM_TTL_SECONDS);
      }
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis pipeline did not run');
  }
}

/** The newest `limit` events of one user's stream. */
export async function readUserStream(
  redis: Redis,
  stream: string,
  userId: string,
  limit: number,
): Promise<WireEvent[]> {
  const entries = await redis.xrevrange(userStreamKey(stream, userId), '+', '-', 'COUNT', limit);
  const events: WireEvent[] = [];
  for (const [, fields] of entries) {
    const json = fields[fields.indexOf('event') + 1];
    if (!json) continue;
    try {
      events.push(JSON.parse(json) as WireEvent);
    } catch {
      // Not ours: someone else wrote to the key.
    }
  }
  return events;
}
