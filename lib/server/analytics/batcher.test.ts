import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batcher';

describe('Batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands on 10 items at once, after the caller returns', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items));
    for (let i = 0; i < 10; i++) b.add(i);
    expect(batches).toHaveLength(0);
    await Promise.resolve();
    expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it('hands on a partial batch 30 s after its first item, and flush() at once', async () => {
    const batches: string[][] = [];
    const b = new Batcher<string>((items) => batches.push(items));
    b.add('a');
    await vi.advanceTimersByTimeAsync(20_000);
    b.add('b');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['a', 'b']]);
    b.add('c');
    b.flush();
    expect(batches).toEqual([['a', 'b'], ['c']]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(batches).toHaveLength(2);
  });
});
