import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows a burst up to capacity, then says when to come back', () => {
    const limiter = new RateLimiter(100, 2);
    expect(limiter.take('s1', 50, 0)).toEqual({ ok: true });
    expect(limiter.take('s1', 50, 0)).toEqual({ ok: true });
    expect(limiter.take('s1', 10, 0)).toEqual({ ok: false, retryAfter: 5 });
    // Another session's budget is its own.
    expect(limiter.take('s2', 50, 0)).toEqual({ ok: true });
    // Refilled at 2 per second.
    expect(limiter.take('s1', 10, 5_000)).toEqual({ ok: true });
  });

  it('forgets the least recent keys past its bound', () => {
    const limiter = new RateLimiter(10, 1, 3);
    for (const key of ['a', 'b', 'c', 'd', 'e']) limiter.take(key, 10, 0);
    expect(limiter.size).toBe(3);
  });
});
