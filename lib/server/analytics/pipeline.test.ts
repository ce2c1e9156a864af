import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pipeline } from './pipeline';
import { RecentMemory } from './sinks/memory';
import type { Batch, Sink } from './sinks/sink';

class Down implements Sink {
  readonly name = 'down';
  write(): Promise<void> {
    return Promise.reject(new Error('refused'));
  }
}
class Store implements Sink {
  readonly name = 'store';
  names: string[] = [];
  async write(batch: Batch) {
    this.names.push(...batch.events.map((e) => e.name));
  }
}

const ev = (name: string, userId: string | null = 'usr_1') => ({
  name,
  userId,
  source: 'server' as const,
  props: {},
  at: Date.now(),
});

describe('Pipeline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('one sink down holds back neither the others nor the recent store', async () => {
    const store = new Store();
    const recent = new RecentMemory(3);
    const p = new Pipeline({ sinks: [new Down(), store], recent, delivery: { maxBuffered: 100 } });
    for (let i = 0; i < 10; i++) p.add(ev(`e${i}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.names).toHaveLength(10);
    expect(recent.recent('usr_1', 10).map((e) => e.name)).toEqual(['e9', 'e8', 'e7']);
  });

  it('reports drops once per interval: one line per sink, a count, no payload', async () => {
    const lines: string[] = [];
    const p = new Pipeline({
      sinks: [new Down()],
      delivery: { maxBuffered: 100, maxAttempts: 1 },
      reportEveryMs: 60_000,
      report: (line) => lines.push(line),
    });
    for (let i = 0; i < 250; i++) p.add(ev('secret_looking_name', 'usr_private'));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(lines).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(lines).toEqual([expect.stringMatching(/sink "down" dropped 250 event\(s\)/)]);
    expect(lines[0]).not.toMatch(/secret_looking_name|usr_private/);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lines).toHaveLength(1);
  });

  it('shutdown() delivers the pending partial batch', async () => {
    vi.useRealTimers();
    const store = new Store();
    const p = new Pipeline({ sinks: [store], delivery: { maxBuffered: 100 } });
    p.add(ev('a'));
    p.add(ev('b'));
    expect(store.names).toEqual([]);
    await p.shutdown(1_000);
    expect(store.names).toEqual(['a', 'b']);
  });
});

describe('RecentMemory', () => {
  it('keeps a few events for each of a bounded number of users', () => {
    const m = new RecentMemory(2, 2);
    for (const user of ['a', 'b', 'c']) for (const n of ['x', 'y', 'z']) m.add(ev(n, user));
    m.add(ev('anonymous', null));
    expect(m.userCount).toBe(2);
    expect(m.recent('a', 5)).toEqual([]);
    expect(m.recent('c', 5).map((e) => e.name)).toEqual(['z', 'y']);
  });
});
