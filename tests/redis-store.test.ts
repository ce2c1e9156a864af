import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FallbackRefreshStore, RedisRefreshStore } from '@/lib/server/refresh/store-redis';
import { createRedisClient } from '@/lib/server/redis';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { setRefreshStore } from '@/lib/server/refresh/tokens';
import { MemoryRefreshStore } from '@/lib/server/refresh/store';
import { openRefreshCookie } from '@/lib/server/session/session';
import { POST as logoutPOST } from '@/app/logout/route';
import { hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server';
import { appUrl, request, setCookies, signInThroughRoutes, USERS } from './helpers/routes';
import { forgetRevocations } from '@/lib/server/testing';

// CI installs redis-server (.ci/run), so there these tests always run. On a laptop without it
// they are reported as skipped rather than failing `npm test` for a missing system package.
const runRedis = hasRedisServer() || process.env.CI === 'true';

const TOKENS = { accessToken: 'at-secret-value', refreshToken: 'rt-secret-value', expiresAt: 2e9 };

describe.runIf(runRedis)('RedisRefreshStore against a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: RedisRefreshStore;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
    await new Promise((resolve) => redis.once('ready', resolve));
    store = new RedisRefreshStore(redis);
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('one lock per key: a second acquire waits its turn', async () => {
    const lease = await store.acquire('k1', 5_000);
    expect(lease).toEqual(expect.any(String));
    expect(await store.acquire('k1', 5_000)).toBeNull();
    await store.release('k1', lease!);
    expect(await store.acquire('k1', 5_000)).toEqual(expect.any(String));
  });

  it('a stale lease cannot unlock a newer holder', async () => {
    const old = await store.acquire('k2', 100);
    await new Promise((r) => setTimeout(r, 150)); // the old holder's lock expired
    const fresh = await store.acquire('k2', 5_000);
    expect(fresh).not.toBeNull();
    await store.release('k2', old!);
    expect(await store.acquire('k2', 5_000)).toBeNull();
  });

  it('resolve keeps the result sealed: Redis never holds a usable token', async () => {
    const lease = await store.acquire('k3', 5_000);
    await store.resolve('k3', lease!, TOKENS, 2_000);
    const raw = (await redis.get('sk:refresh:result:k3'))!;
    expect(raw.split('.')).toHaveLength(5);
    expect(raw).not.toContain('secret-value');
    expect(await store.result('k3')).toEqual(TOKENS);
    // Unlocked by resolve.
    expect(await redis.exists('sk:refresh:lock:k3')).toBe(0);
    // Kept only for keepMs.
    expect(Number(await redis.pttl('sk:refresh:result:k3'))).toBeLessThanOrEqual(2_000);
  });

  it('a tampered stored result is no result', async () => {
    await redis.set('sk:refresh:result:k4', 'a.b.c.d.e', 'PX', 5_000);
    expect(await store.result('k4')).toBeUndefined();
  });

  it('a deny record is shared by every instance and kept until the session expires', async () => {
    const other = createRedisClient(server.url);
    await new Promise((resolve) => other.once('ready', resolve));
    try {
      const until = Date.now() + 3_000;
      await store.deny('sid-hash-1', until);
      expect(await new RedisRefreshStore(other).isDenied('sid-hash-1')).toBe(true);
      expect(await new RedisRefreshStore(other).isDenied('sid-hash-2')).toBe(false);
      const ttl = Number(await redis.pttl('sk:refresh:denied:sid-hash-1'));
      expect(ttl).toBeGreaterThan(2_000);
      expect(ttl).toBeLessThanOrEqual(3_000);
    } finally {
      other.disconnect();
    }
  });

  it('wait returns as soon as the lock is released, and is bounded when it never is', async () => {
    const lease = await store.acquire('k5', 5_000);
    setTimeout(() => void store.release('k5', lease!), 200);
    const started = Date.now();
    await store.wait('k5', 3_000);
    expect(Date.now() - started).toBeLessThan(1_000);

    await store.acquire('k6', 10_000);
    const bounded = Date.now();
    await store.wait('k6', 300);
    expect(Date.now() - bounded).toBeLessThan(1_000);
  });
});

describe('FallbackRefreshStore', () => {
  it('with Redis unreachable every call is served in-process, with one warning, never a throw', async () => {
    const warnings: string[] = [];
    const dead = new RedisRefreshStore(createRedisClient('redis://127.0.0.1:9'));
    const store = new FallbackRefreshStore(dead, new MemoryRefreshStore(), (m) => warnings.push(m));
    const lease = await store.acquire('k', 5_000);
    expect(lease).not.toBeNull();
    expect(await store.acquire('k', 5_000)).toBeNull();
    await store.resolve('k', lease!, TOKENS, 5_000);
    expect(await store.result('k')).toEqual(TOKENS);
    await store.wait('k', 100);
    // A sign-out still holds on this instance while Redis is down.
    await store.deny('sid', Date.now() + 5_000);
    expect(await store.isDenied('sid')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('coordinating in-process');
    expect(warnings[0]).not.toContain('secret-value');
  });
});

describe.runIf(runRedis)('refresh coordination through Redis (route handler, real IdP)', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
    await new Promise((resolve) => redis.once('ready', resolve));
    setRefreshStore(new FallbackRefreshStore(new RedisRefreshStore(redis)));
  });

  afterAll(async () => {
    setRefreshStore(new MemoryRefreshStore());
    redis?.disconnect();
    await server?.stop();
  });

  it('a lock left by a holder that died expires, then the next request refreshes once', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const rt = (await openRefreshCookie(session.sk_refresh_token))!.rt;
    const key = createHash('sha256').update(rt).digest('base64url');
    // Another instance took the lock and crashed before resolving it.
    await redis.set(`sk:refresh:lock:${key}`, 'dead-instance', 'PX', 1_500);
    const started = Date.now();
    const response = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: session }),
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    // The rotation is now kept (sealed) for late requests on any instance.
    expect((await redis.get(`sk:refresh:result:${key}`))!.split('.')).toHaveLength(5);
    const late = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: session }));
    expect(late.status).toBe(200);
    expect(setCookies(late).sk_refresh_token!.value).not.toBe(session.sk_refresh_token);
  });

  it('a sign-out on one instance refuses the copied refresh cookie on another', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const logout = await logoutPOST(
      request('/logout', {
        method: 'POST',
        cookies: { sk_access_token: session.sk_access_token, sk_id_token: session.sk_id_token },
        headers: { origin: appUrl() },
      }),
    );
    expect(logout.status).toBeLessThan(500);
    expect(await redis.keys('sk:refresh:denied:*')).toHaveLength(1);
    // Another instance: neither its process-local set nor its in-process store knows.
    forgetRevocations();
    setRefreshStore(new FallbackRefreshStore(new RedisRefreshStore(redis)));
    const response = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        cookies: { sk_refresh_token: session.sk_refresh_token },
      }),
    );
    expect(response.status).toBe(401);
  });

  it('Redis killed mid-run: refreshes still succeed in-process, no 5xx', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    await server.stop();
    const response = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: session }),
    );
    expect(response.status).toBe(200);
    const again = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        cookies: { ...session, sk_refresh_token: setCookies(response).sk_refresh_token!.value },
      }),
    );
    expect(again.status).toBe(200);
  });
});
