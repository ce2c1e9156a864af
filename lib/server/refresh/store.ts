import 'server-only';
import { randomUUID } from 'node:crypto';

export type RotatedTokens = {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, seconds since the epoch. */
  expiresAt: number;
};

/**
 * Where concurrent refreshes of one refresh token meet. Refresh tokens rotate on every use and
 * the IdP revokes the whole family when a spent one comes back, so a given token must be spent
 * exactly once, however many requests (or server instances) hold it at the same moment.
 *
 * Keys are hashes of the refresh token (lib/server/refresh/tokens.ts makes them), never the token itself.
 *
 * The in-memory store below serves one server process. Several instances need a shared store;
 * with Redis each method is one or two commands:
 * - `acquire`: `SET lock:<key> <lease> NX PX <ttlMs>`; the lease is a random value so that
 *   `resolve`/`release` only delete the lock they own (compare-and-delete in a Lua script).
 * - `resolve`: `SET result:<key> <tokens> PX <keepMs>`, then release the lock, then `PUBLISH`
 *   so waiters wake. Store the tokens sealed (lib/server/cookies.ts `seal`), never in clear text.
 * - `release`: compare-and-delete the lock, then `PUBLISH`.
 * - `wait`: `SUBSCRIBE` to the key's channel (or poll every ~50 ms) until released or timed out.
 * - `result`: `GET result:<key>`.
 * - `deny`: `SET denied:<key> 1 PXAT <untilMs>`; `isDenied`: `EXISTS denied:<key>`.
 */
export interface RefreshStore {
  /** Tokens a finished rotation produced for this key, while they are kept. */
  result(key: string): Promise<RotatedTokens | undefined>;
  /**
   * Claims the right to spend the token. Returns a lease, or null while someone else holds it.
   * `ttlMs` only frees a lock whose holder died; it must outlast the slowest token exchange.
   */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  /** Keeps the tokens for `keepMs` (for late requests still carrying the old token), then unlocks. */
  resolve(key: string, lease: string, tokens: RotatedTokens, keepMs: number): Promise<void>;
  /**
   * Unlocks without a result. Failures are never kept: after an outage the next request must
   * really try again, and a rejected token is rejected again by the IdP at no extra risk.
   */
  release(key: string, lease: string): Promise<void>;
  /** Resolves once the key is unlocked (with or without a result), or after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<void>;
  /**
   * Records a signed-out session (key: a hash of its id, lib/server/session/session.ts) until
   * `untilMs`, the session's absolute expiry: no cookie of it is accepted after that anyway.
   */
  deny(sessionKey: string, untilMs: number): Promise<void>;
  /** Whether the session was signed out (on any instance sharing this store). */
  isDenied(sessionKey: string): Promise<boolean>;
}

type Slot = {
  lock?: { lease: string; until: number };
  kept?: { tokens: RotatedTokens; until: number };
  waiters: Set<() => void>;
};

/**
 * One process's store. Bounded: at most `maxEntries` keys; past that the oldest kept results go
 * first (they are the least likely to be asked for again). With the default 5,000 entries and a
 * 10 s grace period that is 500 rotations per second before a result leaves early; an app that
 * busy runs several instances and wants a shared store anyway.
 */
export class MemoryRefreshStore implements RefreshStore {
  readonly #slots = new Map<string, Slot>();
  readonly #denied = new Map<string, number>();
  readonly #maxEntries: number;

  constructor({ maxEntries = 5_000 }: { maxEntries?: number } = {}) {
    this.#maxEntries = maxEntries;
  }

  /** Keys held right now (tests use it to check the bound). */
  get size(): number {
    return this.#slots.size;
  }

  async result(key: string): Promise<RotatedTokens | undefined> {
    const kept = this.#live(key)?.kept;
    return kept?.tokens;
  }

  async acquire(key: string, ttlMs: number): Promise<string | null> {
    const slot = this.#live(key) ?? this.#create(key);
    if (slot.lock) return null;
    const lease = randomUUID();
    slot.lock = { lease, until: Date.now() + ttlMs };
    return lease;
  }

  async resolve(key: string, lease: string, tokens: RotatedTokens, keepMs: number): Promise<void> {
    const slot = this.#slots.get(key);
    if (!slot || slot.lock?.lease !== lease) return;
    // The result goes in before the lock comes off, so a caller that acquires next sees it.
    slot.kept = { tokens, until: Date.now() + keepMs };
    this.#unlock(key, slot);
  }

  async release(key: string, lease: string): Promise<void> {
    const slot = this.#slots.get(key);
    if (!slot || slot.lock?.lease !== lease) return;
    this.#unlock(key, slot);
  }

  wait(key: string, timeoutMs: number): Promise<void> {
    const slot = this.#live(key);
    if (!slot?.lock) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        slot.waiters.delete(done);
        resolve();
      };
      // An expired lock (its holder died) wakes nobody, so the timeout also bounds that case.
      const timer = setTimeout(
        done,
        Math.max(0, Math.min(timeoutMs, slot.lock!.until - Date.now())),
      );
      slot.waiters.add(done);
    });
  }

  async deny(sessionKey: string, untilMs: number): Promise<void> {
    if (untilMs <= Date.now()) return;
    this.#denied.delete(sessionKey);
    this.#denied.set(sessionKey, untilMs);
    // Bounded like the slots; expired records go first, then the oldest. A deny record is small
    // and the bound is ten times the slots', so it is reached only by a flood of sign-outs.
    if (this.#denied.size > this.#maxEntries * 10) {
      const now = Date.now();
      for (const [k, until] of this.#denied) if (until <= now) this.#denied.delete(k);
      for (const k of this.#denied.keys()) {
        if (this.#denied.size <= this.#maxEntries * 10) break;
        this.#denied.delete(k);
      }
    }
  }

  async isDenied(sessionKey: string): Promise<boolean> {
    const until = this.#denied.get(sessionKey);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.#denied.delete(sessionKey);
    return false;
  }

  #unlock(key: string, slot: Slot) {
    slot.lock = undefined;
    for (const wake of [...slot.waiters]) wake();
    if (!slot.kept) this.#slots.delete(key);
  }

  /** The slot for a key with anything expired dropped, or undefined when nothing is left. */
  #live(key: string): Slot | undefined {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    const now = Date.now();
    if (slot.kept && slot.kept.until <= now) slot.kept = undefined;
    if (slot.lock && slot.lock.until <= now) slot.lock = undefined;
    if (!slot.kept && !slot.lock && slot.waiters.size === 0) {
      this.#slots.delete(key);
      return undefined;
    }
    return slot;
  }

  #create(key: string): Slot {
    this.#prune();
    const slot: Slot = { waiters: new Set() };
    this.#slots.set(key, slot);
    return slot;
  }

  /** Called before each new key: drop what expired, then the oldest results if still full. */
  #prune() {
    if (this.#slots.size < this.#maxEntries) return;
    for (const key of this.#slots.keys()) this.#live(key);
    // Map order is insertion order, so this walks from the oldest key. Locks stay: dropping one
    // would let a second request spend a token that is being spent right now.
    for (const [key, slot] of this.#slots) {
      if (this.#slots.size < this.#maxEntries) break;
      if (!slot.lock && slot.waiters.size === 0) this.#slots.delete(key);
    }
  }
}
