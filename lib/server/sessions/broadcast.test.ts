import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpSessionKey, idpSessionRevokedHere } from '@/lib/server/session/session';
import { shutdown } from '@/lib/server/shutdown';
import { forgetRevocations } from '@/lib/server/testing';
import { isCi, setAppEnv } from '@/tests/helpers/app-env';
import { hasRedisServer, startRedisServer, type RedisServer } from '@/tests/helpers/redis-server';
import { applyRevocationMessage, publishRevocation, startRevocationFeed } from './broadcast';

const CHANNEL = 'sk:revocations';
const RECENT = 'sk:revocations:recent';
const inAnHour = () => Date.now() + 3_600_000;

async function until(check: () => boolean, ms = 1_000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

describe('a broadcast message', () => {
  it('denies the keys it carries', () => {
    const message = JSON.stringify({ k: [idpSessionKey('ses_msg')], u: inAnHour() });
    expect(applyRevocationMessage(message)).toBe(1);
    expect(idpSessionRevokedHere('ses_msg')).toBe(true);
    forgetRevocations();
  });

  it('malformed ones change nothing', () => {
    for (const message of ['', 'null', '{"k":"x","u":1}', '{"k":["not a key"],"u":1e15}', '[]']) {
      expect(applyRevocationMessage(message)).toBe(0);
    }
  });
});

// CI installs redis-server, so there this always runs.
const runRedis = hasRedisServer() || isCi();

// A second "instance" is a plain Redis client here: what matters is what arrives over Redis.
describe.runIf(runRedis)('through Redis', () => {
  let redis: RedisServer;
  let other: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    other = new Redis(redis.url);
    // A revocation made before this instance started: the sorted set brings it.
    await other.zadd(RECENT, inAnHour(), idpSessionKey('ses_before_start'));
    setAppEnv({ REDIS_URL: redis.url });
    startRevocationFeed();
  });

  afterAll(async () => {
    await shutdown();
    other?.disconnect();
    await redis?.stop();
    setAppEnv({ REDIS_URL: undefined });
  });

  it('loads the recent revocations on start', async () => {
    await until(() => idpSessionRevokedHere('ses_before_start'), 3_000);
  });

  it('a message published by another instance is applied within a second', async () => {
    // The subscription is up once the start-up records have been loaded.
    await until(() => idpSessionRevokedHere('ses_before_start'), 3_000);
    const sent = Date.now();
    await other.publish(CHANNEL, JSON.stringify({ k: [idpSessionKey('ses_live')], u: inAnHour() }));
    const waited = await until(() => idpSessionRevokedHere('ses_live'));
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(waited).toBeLessThan(1_000);
  });

  it('publishing leaves a record for later instances and reaches subscribers', async () => {
    const listener = new Redis(redis.url);
    const received = new Promise<string>((resolve) =>
      listener.on('message', (_c, m) => resolve(m)),
    );
    await listener.subscribe(CHANNEL);
    const key = idpSessionKey('ses_published');
    expect(await publishRevocation([key], inAnHour())).toBe(true);
    expect(JSON.parse(await received).k).toEqual([key]);
    expect(await other.zscore(RECENT, key)).not.toBeNull();
    listener.disconnect();
  });

  it('expired records are trimmed when the next one is written', async () => {
    await other.zadd(RECENT, Date.now() - 1_000, idpSessionKey('ses_long_gone'));
    await publishRevocation([idpSessionKey('ses_trim')], inAnHour());
    expect(await other.zscore(RECENT, idpSessionKey('ses_long_gone'))).toBeNull();
  });

  it('Redis down: publishing answers false at once, never throws', async () => {
    await redis.stop();
    const started = Date.now();
    expect(await publishRevocation([idpSessionKey('ses_down')], inAnHour())).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
