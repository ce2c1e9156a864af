import 'server-only';
import type Redis from 'ioredis';
import { getConfig } from '@/lib/server/config';
import { claimOfSealedToken } from '@/lib/server/cookies';
import { getRedis } from '@/lib/server/redis';
import { onShutdown } from '@/lib/server/shutdown';
import { exposeToTests } from '@/lib/server/test-seams';
import type { AnalyticsEvent, AuthEventName, AuthEvents, EventProps } from './events';
import { Pipeline } from './pipeline';
import { RecentMemory } from './sinks/memory';
import { RedisStreamSink } from './sinks/redis-stream';
import type { Sink } from './sinks/sink';
import { StdoutSink } from './sinks/stdout';
import { WebhookSink } from './sinks/webhook';

type Runtime = { pipeline: Pipeline; redis: () => Redis | undefined };

/**
 * One pipeline per process, on globalThis: Next bundles route handlers, pages and
 * instrumentation.ts separately, each with its own copy of this module, and a per-copy pipeline
 * would give the dashboard an empty memory of the callback's sign-in and leave a copy's pending
 * batch outside the SIGTERM flush. The copy that builds it (instrumentation, through
 * warmAnalytics()) registers the flush and lends its Redis connection to every other.
 */
const shared = globalThis as unknown as { __analytics?: Runtime };

function build(): Runtime {
  const config = getConfig().analytics;
  const sinks: Sink[] = config.sinks.map((name): Sink => {
    if (name === 'redis')
      return new RedisStreamSink(getRedis, config.redisStream, config.redisMaxLen);
    if (name === 'webhook') return new WebhookSink(config.webhook!.url, config.webhook!.secret);
    return new StdoutSink();
  });
  const built = new Pipeline({
    sinks,
    recent: new RecentMemory(),
    delivery: { maxBuffered: config.bufferMax },
  });
  // Hooks run together; the Redis hook closes the connection a turn later, after this one's
  // last write is on the wire (lib/server/redis.ts). The drain is bounded by its own deadline.
  onShutdown('analytics', () => built.shutdown());
  return { pipeline: built, redis: getRedis };
}

const current = () => (shared.__analytics ??= build()).pipeline;

/**
 * Builds the pipeline at server start (lib/server/startup-check.ts), so its flush is registered
 * with the shutdown registry the SIGTERM handler runs, whichever module copy tracks first.
 */
export function warmAnalytics(): void {
  try {
    current();
  } catch {
    // A bad analytics setting already failed the config check that runs first.
  }
}

/** The Redis connection the pipeline writes through (lib/server/redis.ts of the copy that built it). */
export const analyticsRedis = (): Redis | undefined => {
  current();
  return shared.__analytics?.redis();
};

/**
 * Server-side analytics with trusted identity: the caller passes the user id it verified.
 * `track` is on the request path: it builds one object and queues it (about a microsecond,
 * `npm run bench`); batching and delivery happen after. It never throws.
 */
export const analytics = {
  track(userId: string | null, name: string, props: EventProps = {}): void {
    try {
      current().add({ name, userId, source: 'server', props, at: Date.now() });
    } catch {
      // Analytics must never break the request that reports it (a bad config already failed boot).
    }
  },

  /**
   * A browser batch, already validated and stamped by the ingest route (./ingest.ts). The
   * browser batched it (10 events, 30 s, page hide), so it goes to the sinks now instead of
   * waiting up to 30 s more here.
   */
  record(events: readonly AnalyticsEvent[]): void {
    const p = current();
    for (const event of events) p.add(event);
    p.flush();
  },

  /** Hands the pending batch to the sinks now. */
  flush(): void {
    shared.__analytics?.pipeline.flush();
  },

  /** Flushes and waits (bounded) until every sink has delivered what it holds. */
  shutdown(timeoutMs?: number): Promise<void> {
    return shared.__analytics?.pipeline.shutdown(timeoutMs) ?? Promise.resolve();
  },
};

/** The flow's lifecycle events, typed: a name from AuthEvents and exactly its properties. */
export function authEvent<N extends AuthEventName>(
  userId: string | null,
  name: N,
  props: AuthEvents[N],
): void {
  analytics.track(userId, name, props as EventProps);
}

/**
 * The subject of an access token taken from a session cookie, for events about a session that
 * is ending (it may be expired, so it is not verified again). The cookie is sealed by this app
 * and only ever holds a token that passed verification, so its `sub` is the app's own record.
 */
export function sealedSubject(accessToken: unknown): string | null {
  return claimOfSealedToken(accessToken, 'sub') ?? null;
}

/** For the activity panel (./recent.ts). */
export const analyticsPipeline = () => current();

exposeToTests('resetAnalytics', async () => {
  const old = shared.__analytics;
  shared.__analytics = undefined;
  await old?.pipeline.shutdown(0);
});
exposeToTests('analyticsPipeline', () => current());
