import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { signInOverHttp } from '../tests/helpers/http-session';
import type { CookieJar } from '../tests/helpers/idp-login';
import { freePort } from '../tests/helpers/ports';
import { startRedisServer, type RedisServer } from '../tests/helpers/redis-server';
import { startNextServer } from './next-server';

// Two `next start` instances of the same build behind no load balancer but the test itself,
// sharing SESSION_COOKIE_SECRET and REDIS_URL, against their own local IdP with 4 s tokens. The
// build is the one Playwright's webServer made for the rest of the suite.

const TTL_SECONDS = 4;
const CLIENT = { clientId: 'skc_multi_instance', clientSecret: 'multi_instance_secret_not_real' };
const SECRET = 'multi-instance-cookie-secret-0123456789abcdef';
const STORM = 50;

type Instance = { url: string; process: ChildProcess };

let redis: RedisServer;
let idp: LocalIdp;
let dataDir: string;
const instances: Instance[] = [];

async function startApp(port: number, appUrl: string, redisUrl?: string): Promise<Instance> {
  const child = await startNextServer(port, {
    SCALEKIT_ENV_URL: idp.url,
    SCALEKIT_CLIENT_ID: CLIENT.clientId,
    SCALEKIT_CLIENT_SECRET: CLIENT.clientSecret,
    SESSION_COOKIE_SECRET: SECRET,
    APP_URL: appUrl,
    REDIS_URL: redisUrl ?? '',
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

const refreshUrl = (app: Instance) => `${app.url}/api/refresh`;

function refresh(app: Instance, cookie: string) {
  return fetch(refreshUrl(app), {
    method: 'POST',
    headers: { cookie, 'sec-fetch-site': 'same-origin' },
  });
}

/**
 * 50 parallel refreshes with one expired session, alternating between two instances. The jar is
 * a browser's: instances share 127.0.0.1, so like a load balancer they all get the same cookies.
 */
async function storm(a: Instance, b: Instance, jar: CookieJar) {
  await new Promise((r) => setTimeout(r, (TTL_SECONDS + 1) * 1000));
  idp.resetStats();
  const expired = jar.header(refreshUrl(a))!;
  const responses = await Promise.all(
    Array.from({ length: STORM }, (_, i) => refresh(i % 2 ? b : a, expired)),
  );
  const statuses = responses.map((r) => r.status);
  const tokenCalls = idp.stats.refreshRequests;
  const ok = responses.find((r) => r.status === 200);
  // Still signed in afterwards? The newest refresh token must still be good at the IdP.
  if (ok) jar.store(refreshUrl(a), ok.headers.getSetCookie());
  const after = ok ? await refresh(a, jar.header(refreshUrl(a))!) : undefined;
  return {
    tokenCalls,
    successes: statuses.filter((s) => s === 200).length,
    serverErrors: statuses.filter((s) => s >= 500).length,
    sessionEnded: statuses.includes(401) || after?.status !== 200,
  };
}

test.describe('several instances', () => {
  test.describe.configure({ timeout: 240_000 });

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-multi-'));
    redis = await startRedisServer();
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const appUrl = `http://127.0.0.1:${ports[0]}`;
    idp = await startLocalIdp({
      port: 0,
      dataDir,
      appUrl,
      ...CLIENT,
      accessTokenTtl: TTL_SECONDS,
      persist: false,
      log: false,
    });
    // A and B share Redis; C and D use the in-memory store (the comparison).
    // In this order whichever starts first: A is the one on APP_URL's port.
    const started = await Promise.all([
      startApp(ports[0]!, appUrl, redis.url),
      startApp(ports[1]!, appUrl, redis.url),
      startApp(ports[2]!, appUrl),
      startApp(ports[3]!, appUrl),
    ]);
    instances.push(...started);
  });

  test.afterAll(async () => {
    for (const instance of instances) instance.process.kill('SIGTERM');
    await redis?.stop();
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('with Redis: 50 parallel refreshes across two instances → 1 token call, 50 successes, still signed in', async () => {
    const [a, b] = instances;
    const jar = await signInOverHttp(a!.url);
    const result = await storm(a!, b!, jar);
    expect(result).toEqual({
      tokenCalls: 1,
      successes: STORM,
      serverErrors: 0,
      sessionEnded: false,
    });
  });

  test('measurement: the same storm with the in-memory store on each instance', async () => {
    const [, , c, d] = instances;
    const runs = 3;
    let ended = 0;
    let serverErrors = 0;
    const calls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const jar = await signInOverHttp(c!.url, undefined, { callbackOrigin: instances[0]!.url });
      const result = await storm(c!, d!, jar);
      if (result.sessionEnded) ended++;
      serverErrors += result.serverErrors;
      calls.push(result.tokenCalls);
    }
    const figure = `in-memory store, 2 instances: session ended in ${ended}/${runs} storms; token calls per storm ${calls.join(', ')}`;
    console.log(`[measurement] ${figure}`);
    test.info().annotations.push({ type: 'measurement', description: figure });
    // Not a goal, a figure for the README; but even this path must never answer with a 5xx.
    expect(serverErrors).toBe(0);
  });

  test('Redis killed mid-run: requests still succeed in-process, no 5xx', async () => {
    const [a, b] = instances;
    const jar = await signInOverHttp(a!.url);
    await new Promise((r) => setTimeout(r, (TTL_SECONDS + 1) * 1000));
    await redis.stop();
    idp.resetStats();
    const expired = jar.header(refreshUrl(a!))!;
    const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(a!, expired)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    // One exchange: the fallback still coordinates within the instance.
    expect(idp.stats.refreshRequests).toBe(1);
    jar.store(refreshUrl(a!), responses[0]!.headers.getSetCookie());
    expect((await refresh(b!, jar.header(refreshUrl(b!))!)).status).toBe(200);
  });
});
