import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnalyticsEvent } from '../events';
import { Delivery } from './delivery';
import type { Batch, Sink } from './sink';

const event = (i: number): AnalyticsEvent => ({
  name: `e${i}`,
  userId: 'usr_1',
  source: 'server',
  props: {},
  at: i,
});
const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => event(from + i));

class Recording implements Sink {
  readonly name = 'test';
  up = true;
  tries: Batch[] = [];
  stored: string[] = [];
  async write(batch: Batch) {
    this.tries.push(batch);
    if (!this.up) throw new Error('down');
    this.stored.push(...batch.events.map((e) => e.name));
  }
}

describe('Delivery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers in batches, in order', async () => {
    const sink = new Recording();
    const d = new Delivery(sink, { maxBuffered: 1000, maxBatch: 100 });
    d.accept(events(0, 250));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.tries.map((b) => b.events.length)).toEqual([100, 100, 50]);
    expect(sink.stored).toEqual(events(0, 250).map((e) => e.name));
    expect(d.delivered).toBe(250);
  });

  it('retries a failed batch with exponential backoff, under the same id', async () => {
    const sink = new Recording();
    sink.up = false;
    const d = new Delivery(sink, { maxBuffered: 100, baseBackoffMs: 100 });
    d.accept(events(0, 3));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.tries).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(sink.tries).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.tries).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(sink.tries).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.tries).toHaveLength(3);
    sink.up = true;
    await vi.advanceTimersByTimeAsync(400);
    expect(sink.stored).toEqual(['e0', 'e1', 'e2']);
    expect(new Set(sink.tries.map((b) => b.id)).size).toBe(1);
    expect(d.takeDropped()).toBe(0);
  });

  it('holds at most maxBuffered while the sink is down; the oldest go and are counted', async () => {
    const sink = new Recording();
    sink.up = false;
    const d = new Delivery(sink, { maxBuffered: 500, maxBatch: 100 });
    for (let i = 0; i < 100; i++) d.accept(events(i * 100, 100));
    await vi.advanceTimersByTimeAsync(0);
    expect(d.pending).toBeLessThanOrEqual(500);
    expect(d.takeDropped()).toBe(10_000 - d.pending);
    expect(d.takeDropped()).toBe(0);
    sink.up = true;
    await vi.advanceTimersByTimeAsync(60_000);
    // The first batch (already being tried) and the newest 400 arrive.
    expect(sink.stored).toHaveLength(500);
    expect(sink.stored.at(-1)).toBe('e9999');
  });

  it('gives up on a batch after maxAttempts and counts it', async () => {
    const sink = new Recording();
    sink.up = false;
    const d = new Delivery(sink, { maxBuffered: 100, maxAttempts: 3, baseBackoffMs: 10 });
    d.accept(events(0, 5));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sink.tries).toHaveLength(3);
    expect(d.takeDropped()).toBe(5);
    expect(d.pending).toBe(0);
  });

  it('accept() never waits for the sink', () => {
    const sink: Sink = { name: 'hang', write: () => new Promise(() => undefined) };
    const d = new Delivery(sink, { maxBuffered: 10 });
    const start = performance.now();
    for (let i = 0; i < 1000; i++) d.accept([event(i)]);
    expect(performance.now() - start).toBeLessThan(50);
    expect(d.pending).toBeLessThanOrEqual(10 + 1);
  });

  it('drain() skips the backoff and stops at the deadline', async () => {
    vi.useRealTimers();
    const sink = new Recording();
    sink.up = false;
    const d = new Delivery(sink, { maxBuffered: 100, baseBackoffMs: 60_000 });
    d.accept(events(0, 2));
    await new Promise((r) => setTimeout(r, 10));
    setTimeout(() => (sink.up = true), 50);
    await d.drain(Date.now() + 2_000);
    expect(sink.stored).toEqual(['e0', 'e1']);
    const hung = new Delivery(
      { name: 'hang', write: () => new Promise(() => undefined) },
      { maxBuffered: 10 },
    );
    hung.accept(events(0, 1));
    const start = Date.now();
    await hung.drain(Date.now() + 100);
    expect(Date.now() - start).toBeLessThan(1_000);
  });
});
