import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from './helpers/ports';
import { hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server';

// Each case loads the routes fresh under its own environment: config, the key probe's cache and
// the Redis client are process-wide.
const baseEnv = { ...process.env };

async function routes(env: Record<string, string | undefined> = {}) {
  vi.resetModules();
  process.env = { ...baseEnv, ...env };
  const live = await import('@/app/api/health/route');
  const ready = await import('@/app/api/health/ready/route');
  const shutdown = await import('@/lib/server/shutdown');
  return { live: live.GET, ready: ready.GET, shutdown };
}

async function readyBody(get: () => Promise<Response>) {
  const response = await get();
  return { status: response.status, body: await response.json(), response };
}

afterEach(async () => {
  // Close whatever Redis client the case opened.
  const { shutdown } = await import('@/lib/server/shutdown');
  await shutdown(1_000);
  process.env = { ...baseEnv };
});

describe('GET /api/health (liveness)', () => {
  it('answers 200 with no session, no config and no network, never cached', async () => {
    const { live } = await routes({ SCALEKIT_CLIENT_SECRET: undefined });
    const response = live();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /api/health/ready', () => {
  it('is ready against the local IdP, with Redis not configured, and tells nothing secret', async () => {
    const { ready } = await routes();
    const { status, body, response } = await readyBody(ready);
    expect(status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(body).toEqual({
      status: 'ready',
      checks: { shutdown: 'ok', config: 'ok', idpKeys: 'ok', redis: 'not_configured' },
      failed: [],
    });
    const text = JSON.stringify(body);
    for (const secret of [
      baseEnv.SCALEKIT_CLIENT_SECRET!,
      baseEnv.SESSION_COOKIE_SECRET!,
      baseEnv.SCALEKIT_ENV_URL!,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('is 503 naming the config when the configuration is invalid', async () => {
    const { ready } = await routes({ SESSION_COOKIE_SECRET: 'short' });
    const { status, body } = await readyBody(ready);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'not_ready', failed: ['config'] });
    expect(JSON.stringify(body)).not.toContain('short');
  });

  it('is 503 naming idpKeys when the IdP cannot be reached', async () => {
    const { ready } = await routes({ SCALEKIT_ENV_URL: `http://127.0.0.1:${await freePort()}` });
    const { status, body } = await readyBody(ready);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'not_ready', failed: ['idpKeys'] });
    expect(body.checks.idpKeys).toBe('unreachable');
  });

  describe('against an IdP whose key endpoint counts its callers', () => {
    let server: Server;
    let keyRequests = 0;
    let keys: unknown[] = [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }];
    let url = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url !== '/keys') return void res.writeHead(404).end();
        keyRequests += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('asks the IdP once for many probes in a burst (cached)', async () => {
      const { ready } = await routes({ SCALEKIT_ENV_URL: url });
      keyRequests = 0;
      const results = await Promise.all(Array.from({ length: 20 }, () => ready()));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect((await ready()).status).toBe(200);
      expect(keyRequests).toBe(1);
    });

    it('is not ready when the key set is empty', async () => {
      keys = [];
      const { ready } = await routes({ SCALEKIT_ENV_URL: url });
      const { status, body } = await readyBody(ready);
      keys = [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }];
      expect(status).toBe(503);
      expect(body.failed).toEqual(['idpKeys']);
    });
  });

  it('goes 503 "draining" from the termination signal on', async () => {
    const { ready, shutdown } = await routes();
    expect((await ready()).status).toBe(200);
    const stopping = shutdown.stopGracefully('SIGTERM', {
      exit: () => undefined,
      flushMs: 0,
      log: () => undefined,
    });
    const { status, body } = await readyBody(ready);
    await stopping;
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'not_ready', failed: ['shutdown'] });
    expect(body.checks.shutdown).toBe('draining');
  });

  const runRedis = hasRedisServer() || process.env.CI === 'true';
  describe.runIf(runRedis)('with REDIS_URL', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(() => redis.stop());

    it('pings Redis and is ready when it answers', async () => {
      const { ready } = await routes({ REDIS_URL: redis.url });
      // The shared client connects in the background; the first probe may race it.
      let body;
      for (let i = 0; i < 20; i++) {
        body = (await readyBody(ready)).body;
        if (body.checks.redis === 'ok') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toMatchObject({ status: 'ready', failed: [] });
      expect(body.checks.redis).toBe('ok');
    });

    it('stays in service, "degraded", when Redis is down (refreshes fall back in-process)', async () => {
      const { ready } = await routes({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
      const started = Date.now();
      const { status, body } = await readyBody(ready);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'degraded', failed: ['redis'] });
      expect(body.checks.redis).toBe('unreachable');
    });
  });
});
