import 'server-only';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { nowSeconds, seal, unseal } from '@/lib/server/cookies';
import { createRedisClient } from '@/lib/server/redis';
import { MemoryRefreshStore, type RefreshStore, type RotatedTokens } from './store';

/**
 * Refresh coordination shared by every instance through Redis (set REDIS_URL). One short lock
 * per refresh-token hash (`SET NX PX`), the rotated result kept a few seconds for late requests,
 * waiters that poll with a bounded wait. A lock whose holder died expires by itself.
 *
 * Security: Redis never holds a usable token. Keys are hashes of the refresh token (lib/server/refresh/tokens.ts)
 * and results are sealed with the session-cookie key (lib/server/cookies.ts), bound to their own purpose
 * so a stored result cannot pass for a cookie.
 */
const RESULT_PURPOSE = 'sk_refresh_result';
const POLL_MS = 50;
const PREFIX = 'sk:refresh:';

// Deletes the lock only if it still holds our lease, so a holder whose lock already expired (and
// was taken by someone else) cannot unlock the new holder.
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a call waits for a connection that is still being made (say, just after boot). */
const CONNECT_WAIT_MS = 1_000;
/** After a failed wait, calls fall back at once for this long instead of each waiting again. */
const DOWN_BACKOFF_MS = 5_000;

export class RedisRefreshStore implements RefreshStore {
  readonly #redis: Redis;
  #downUntil = 0;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  /**
   * Commands fail at once while disconnected (no offline queue), which is right during an
   * outage but wrong in the first moments after boot: a burst of refreshes that arrives while
   * the connection is still being made would each coordinate in-process, and two instances would
   * spend the same token. So wait briefly for a connection in progress, and only then give up.
   */
  async #ready(): Promise<void> {
    if (this.#redis.status === 'ready') return;
    if (Date.now() < this.#downUntil) throw new Error('redis not connected');
    const connected = await new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.#redis.off('ready', onReady);
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), CONNECT_WAIT_MS);
      this.#redis.once('ready', onReady);
    });
    if (!connected) {
      this.#downUntil = Date.now() + DOWN_BACKOFF_MS;
      throw new Error('redis not connected');
    }
  }

  async result(key: string): Promise<RotatedTokens | undefined> {
    await this.#ready();
    const sealed = await this.#redis.get(`${PREFIX}result:${key}`);
    const tokens = await unseal<RotatedTokens & { iat: number }>(RESULT_PURPOSE, sealed);
    if (!tokens) return undefined;
    return {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
    };
  }

  async acquire(key: string, ttlMs: number): Promise<string | null> {
    await this.#ready();
    const lease = randomUUID();
    const ok = await this.#redis.set(`${PREFIX}lock:${key}`, lease, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? lease : null;
  }

  async resolve(key: string, lease: string, tokens: RotatedTokens, keepMs: number): Promise<void> {
    await this.#ready();
    const sealed = await seal(
      RESULT_PURPOSE,
      { ...tokens },
      { expiresAt: nowSeconds() + Math.ceil(keepMs / 1000) },
    );
    // The result goes in before the lock comes off, so whoever acquires next sees it.
    await this.#redis.set(`${PREFIX}result:${key}`, sealed, 'PX', keepMs);
    await this.release(key, lease);
  }

  async release(key: string, lease: string): Promise<void> {
    await this.#ready();
    await this.#redis.eval(RELEASE_SCRIPT, 1, `${PREFIX}lock:${key}`, lease);
  }

  async deny(sessionKey: string, untilMs: number): Promise<void> {
    await this.#ready();
    if (untilMs <= Date.now()) return;
    await this.#redis.set(`${PREFIX}denied:${sessionKey}`, '1', 'PXAT', untilMs);
  }

  async isDenied(sessionKey: string): Promise<boolean> {
    await this.#ready();
    return (await this.#redis.exists(`${PREFIX}denied:${sessionKey}`)) === 1;
  }

  async wait(key: string, timeoutMs: number): Promise<void> {
    await this.#ready();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.#redis.exists(`${PREFIX}lock:${key}`))) return;
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    }
  }
}

/**
 * A shared store that degrades to in-process coordination when the shared one fails (down,
 * slow, unreachable). A Redis outage must never become a 5xx or a logout: each call falls back
 * on its own, with a warning in the log at most every WARN_EVERY_MS.
 */
const WARN_EVERY_MS = 30_000;

export class FallbackRefreshStore implements RefreshStore {
  readonly #primary: RefreshStore;
  readonly #fallback: RefreshStore;
  readonly #warn: (message: string) => void;
  #lastWarning = 0;

  constructor(
    primary: RefreshStore,
    fallback: RefreshStore = new MemoryRefreshStore(),
    warn: (message: string) => void = (m) => console.warn(m),
  ) {
    this.#primary = primary;
    this.#fallback = fallback;
    this.#warn = warn;
  }

  async #either<T>(run: (store: RefreshStore) => Promise<T>): Promise<T> {
    try {
      return await run(this.#primary);
    } catch (error) {
      const now = Date.now();
      if (now - this.#lastWarning > WARN_EVERY_MS) {
        this.#lastWarning = now;
        const reason = error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
        this.#warn(`[auth] shared refresh store unavailable (${reason}); coordinating in-process`);
      }
      return run(this.#fallback);
    }
  }

  result(key: string) {
    return this.#either((s) => s.result(key));
  }
  acquire(key: string, ttlMs: number) {
    return this.#either((s) => s.acquire(key, ttlMs));
  }
  resolve(key: string, lease: string, tokens: RotatedTokens, keepMs: number) {
    return this.#either((s) => s.resolve(key, lease, tokens, keepMs));
  }
  release(key: string, lease: string) {
    return this.#either((s) => s.release(key, lease));
  }
  wait(key: string, timeoutMs: number) {
    return this.#either((s) => s.wait(key, timeoutMs));
  }
  /**
   * Recorded in-process as well, whatever Redis says: a sign-out on this instance must hold here
   * even while Redis is down, and again once it is back.
   */
  async deny(sessionKey: string, untilMs: number) {
    await this.#fallback.deny(sessionKey, untilMs);
    await this.#either((s) =>
      s === this.#fallback ? Promise.resolve() : s.deny(sessionKey, untilMs),
    );
  }
  async isDenied(sessionKey: string) {
    if (await this.#fallback.isDenied(sessionKey)) return true;
    return this.#either((s) => s.isDenied(sessionKey));
  }
}

/** A Redis-backed store on `client` (or on a new connection to `url`), falling back in-process. */
export function createRedisRefreshStore(target: string | Redis): RefreshStore {
  const client = typeof target === 'string' ? createRedisClient(target) : target;
  return new FallbackRefreshStore(new RedisRefreshStore(client));
}
