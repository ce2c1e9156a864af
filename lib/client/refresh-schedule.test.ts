import { describe, expect, it } from 'vitest';
import { REFRESH_LEAD_MS, refreshDelay, retryDelay } from './refresh-schedule';

describe('refreshDelay', () => {
  it('refreshes 60 s before expiry for normal tokens', () => {
    expect(refreshDelay(300_000)).toBe(300_000 - REFRESH_LEAD_MS);
    expect(refreshDelay(3_600_000)).toBe(3_600_000 - REFRESH_LEAD_MS);
  });

  it('refreshes short-lived tokens at half their remaining life, never in a tight loop', () => {
    expect(refreshDelay(10_000)).toBe(5_000);
    expect(refreshDelay(90_000)).toBe(45_000);
  });

  it('refreshes at once when the token has already expired', () => {
    expect(refreshDelay(0)).toBe(0);
    expect(refreshDelay(-5_000)).toBe(0);
  });
});

describe('retryDelay', () => {
  it('starts at Retry-After, doubles, and stops at a minute, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect(retryDelay(0, 5, mid)).toBe(5_000);
    expect(retryDelay(1, 5, mid)).toBe(10_000);
    expect(retryDelay(10, 5, mid)).toBe(60_000);
    expect(retryDelay(0, undefined, mid)).toBe(1_000);
    expect(retryDelay(0, 5, () => 0)).toBe(4_000);
    expect(retryDelay(0, 5, () => 1)).toBe(6_000);
  });
});
