import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as eventsPOST } from '@/app/api/events/route';
import { analytics } from '@/lib/server/analytics/analytics';
import { recentActivity } from '@/lib/server/analytics/recent';
import { userStreamKey } from '@/lib/server/analytics/sinks/redis-stream';
import { verifyWebhook } from '@/lib/server/analytics/sinks/webhook';
import { sessionFromCookie } from '@/lib/server/session/session';
import { analyticsPipeline, resetAnalytics, resetConfig } from '@/lib/server/testing';
import { eventsRequest } from './helpers/analytics';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { signInThroughRoutes, USERS } from './helpers/routes';

/**
 * The real sinks: a redis-server and an HTTP receiver. First both up (what arrives, signed and
 * capped), then both down (Redis stopped, the receiver refusing): requests still answer at once,
 * memory stays bounded, and what could not be kept is counted and reported.
 */

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BUFFER_MAX = 100;
const STREAM = 'analytics:test';

let redis: RedisServer;
let reader: Redis;
let hook: Server;
let hookStatus = 204;
/** When set, the receiver reads the request and never answers (a sink that hangs). */
let hookHangs = false;
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 0 });
  reader.on('error', () => undefined);
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      if (!hookHangs) res.writeHead(hookStatus).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  Object.assign(process.env, {
    REDIS_URL: redis.url,
    ANALYTICS_SINKS: 'redis,webhook',
    ANALYTICS_REDIS_STREAM: STREAM,
    ANALYTICS_REDIS_MAXLEN: '1000',
    ANALYTICS_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/analytics`,
    ANALYTICS_WEBHOOK_SECRET: SECRET,
    ANALYTICS_BUFFER_MAX: String(BUFFER_MAX),
  });
  resetConfig();
  await resetAnalytics();
});

afterAll(async () => {
  await resetAnalytics();
  for (const key of [
    'REDIS_URL',
    'ANALYTICS_REDIS_STREAM',
    'ANALYTICS_REDIS_MAXLEN',
    'ANALYTICS_WEBHOOK_URL',
    'ANALYTICS_WEBHOOK_SECRET',
    'ANALYTICS_BUFFER_MAX',
  ]) {
    delete process.env[key];
  }
  process.env.ANALYTICS_SINKS = 'none';
  resetConfig();
  reader.disconnect();
  hook.close();
  await redis.stop();
});

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('sinks up', () => {
  it('a browser event lands in the stream, the user’s recent stream and a signed webhook', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const verified = await sessionFromCookie(session.sk_access_token);
    if (verified.status !== 'authenticated') throw new Error('no session');
    const userId = verified.user.id;
    const response = await eventsPOST(
      eventsRequest({ events: [{ name: 'demo.clicked', props: { n: 1 } }] }, { cookies: session }),
    );
    expect(response.status).toBe(202);
    await analytics.shutdown(2_000);

    const entries = await reader.xrange(STREAM, '-', '+');
    const fields = entries.map(([, f]) =>
      Object.fromEntries(
        f.reduce<string[][]>((acc, v, i) => (i % 2 ? acc : [...acc, [v, f[i + 1]!]]), []),
      ),
    );
    expect(fields.map((f) => [f.name, f.user])).toEqual([
      ['signed_in', userId],
      ['demo.clicked', userId],
    ]);
    expect(JSON.parse(fields[1]!.event!)).toMatchObject({
      userId,
      source: 'browser',
      props: { n: 1 },
    });
    expect(await reader.xlen(userStreamKey(STREAM, userId))).toBe(2);
    expect(await reader.ttl(userStreamKey(STREAM, userId))).toBeGreaterThan(0);

    const recent = await recentActivity(userId);
    expect(recent.source).toBe('redis');
    expect(recent.events.map((e) => e.name)).toEqual(['demo.clicked', 'signed_in']);

    const delivered = received.flatMap(({ headers, body }) => {
      const signed = {
        id: headers['webhook-id']!,
        timestamp: headers['webhook-timestamp']!,
        signature: headers['webhook-signature']!,
      };
      expect(verifyWebhook(SECRET, signed, body)).toBe(true);
      return (JSON.parse(body) as { data: { events: { name: string }[] } }).data.events.map(
        (e) => e.name,
      );
    });
    expect(delivered).toEqual(['signed_in', 'demo.clicked']);
  });

  it('the stream stays near its cap (XADD MAXLEN ~)', async () => {
    // In rounds the size of the buffer, each drained before the next: a burst past the buffer
    // is dropped by design (the next describe).
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < BUFFER_MAX; i++) analytics.track('usr_cap', 'load.test', { i });
      await analytics.shutdown(5_000);
    }
    expect(analyticsPipeline().deliveries.map((d) => d.takeDropped())).toEqual([0, 0]);
    const length = await reader.xlen(STREAM);
    expect(length).toBeGreaterThanOrEqual(1_000);
    expect(length).toBeLessThan(1_200);
    expect(await reader.xlen(userStreamKey(STREAM, 'usr_cap'))).toBeLessThan(200);
  });
});

describe('sinks down: Redis stopped, the webhook refusing', () => {
  it('requests still answer 202 at once; memory stays bounded; drops are counted and reported once', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    await redis.stop();
    hookStatus = 503;
    await resetAnalytics();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const batch = {
        events: Array.from({ length: 50 }, (_, i) => ({ name: 'flood', props: { i } })),
      };
      const statuses: number[] = [];
      const started = performance.now();
      for (let i = 0; i < 4; i++)
        statuses.push((await eventsPOST(eventsRequest(batch, { cookies: session }))).status);
      for (let i = 0; i < 2_000; i++) analytics.track('usr_flood', 'server.flood', { i });
      const elapsed = performance.now() - started;
      expect(statuses).toEqual([202, 202, 202, 202]);
      expect(elapsed).toBeLessThan(1_000);
      await settle();

      const pipeline = analyticsPipeline();
      for (const delivery of pipeline.deliveries) {
        // The buffer plus the one batch being tried: never the 2,200 events offered.
        expect(delivery.pending, delivery.sink.name).toBeLessThanOrEqual(BUFFER_MAX + 100);
        expect(delivery.delivered).toBe(0);
      }
      pipeline.reportDrops();
      const lines = warn.mock.calls
        .map((c) => String(c[0]))
        .filter((l) => l.startsWith('[analytics]'));
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        const dropped = Number(/dropped (\d+) event/.exec(line)?.[1]);
        expect(dropped).toBeGreaterThanOrEqual(2_200 - BUFFER_MAX - 100);
        expect(line).not.toMatch(/flood|usr_/);
      }
      pipeline.reportDrops();
      expect(warn.mock.calls.filter((c) => String(c[0]).startsWith('[analytics]'))).toHaveLength(2);

      // The panel says "unavailable" instead of failing the page.
      expect(await recentActivity('usr_flood')).toEqual({
        events: [],
        source: 'redis',
        available: false,
      });
    } finally {
      warn.mockRestore();
    }
  });

  it('a webhook that never answers slows no request either', async () => {
    hookHangs = true;
    await resetAnalytics();
    const { session } = await signInThroughRoutes(USERS.alice);
    const before = received.length;
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await eventsPOST(
        eventsRequest({ events: [{ name: 'while_hanging' }] }, { cookies: session }),
      );
      timings.push(performance.now() - started);
      expect(response.status).toBe(202);
    }
    await settle();
    // The first batch reached the receiver and hangs there (its 5 s timeout has not run out);
    // every request answered long before that.
    expect(received.length).toBeGreaterThan(before);
    expect(Math.max(...timings)).toBeLessThan(1_000);
    hookHangs = false;
  });

  it('shutdown() with the sinks still down returns within its bound', async () => {
    analytics.track('usr_flood', 'late', {});
    const started = Date.now();
    await analytics.shutdown(500);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
