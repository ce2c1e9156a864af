/**
 * A token bucket per key (a session), in this process: `capacity` events at once, refilled at
 * `perSecond`. Bounded: past `maxKeys` the least recently seen key is forgotten (it starts full
 * again, which only ever errs towards letting a real user through).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity = 200,
    readonly perSecond = 2,
    readonly maxKeys = 10_000,
  ) {}

  /** Takes `cost` tokens, or says how many seconds until it could. */
  take(
    key: string,
    cost: number,
    now = Date.now(),
  ): { ok: true } | { ok: false; retryAfter: number } {
    const found = this.#buckets.get(key);
    const tokens = found
      ? Math.min(this.capacity, found.tokens + ((now - found.at) / 1000) * this.perSecond)
      : this.capacity;
    this.#buckets.delete(key);
    if (cost > tokens) {
      this.#buckets.set(key, { tokens, at: now });
      this.#evict();
      return { ok: false, retryAfter: Math.max(1, Math.ceil((cost - tokens) / this.perSecond)) };
    }
    this.#buckets.set(key, { tokens: tokens - cost, at: now });
    this.#evict();
    return { ok: true };
  }

  get size(): number {
    return this.#buckets.size;
  }

  #evict(): void {
    if (this.#buckets.size <= this.maxKeys) return;
    const oldest = this.#buckets.keys().next().value;
    if (oldest !== undefined) this.#buckets.delete(oldest);
  }
}
