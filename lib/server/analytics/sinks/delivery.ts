import { randomUUID } from 'node:crypto';
import type { AnalyticsEvent } from '../events';
import type { Batch, Sink } from './sink';

const DRAIN_RETRY_MS = 200;

export type DeliveryOptions = {
  /** Events held while the sink is slow or down; past it the oldest are dropped. */
  maxBuffered: number;
  /** Events per write. */
  maxBatch?: number;
  /** Tries per batch before it is dropped (and counted). */
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
};

/**
 * Runs one sink off the request path: a bounded buffer, one write in flight, exponential backoff
 * between failed tries. `accept` never waits and never throws, so a sink that is down can slow
 * or break nothing but its own delivery; what it cannot keep is counted in `dropped`.
 */
export class Delivery {
  readonly sink: Sink;
  #buffer: AnalyticsEvent[] = [];
  #current: { batch: Batch; attempts: number } | undefined;
  #writing: Promise<void> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;
  #delivered = 0;
  readonly #opts: Required<DeliveryOptions>;

  constructor(sink: Sink, options: DeliveryOptions) {
    this.sink = sink;
    this.#opts = {
      maxBatch: 100,
      maxAttempts: 8,
      baseBackoffMs: 500,
      maxBackoffMs: 30_000,
      ...options,
    };
  }

  /** Events dropped since the last call (buffer full, or every try failed). */
  takeDropped(): number {
    const n = this.#dropped;
    this.#dropped = 0;
    return n;
  }

  get delivered(): number {
    return this.#delivered;
  }

  /** Events waiting, in the buffer and in the batch being tried. */
  get pending(): number {
    return this.#buffer.length + (this.#current?.batch.events.length ?? 0);
  }

  accept(events: readonly AnalyticsEvent[]): void {
    for (const event of events) this.#buffer.push(event);
    const over = this.pending - this.#opts.maxBuffered;
    if (over > 0) {
      // The oldest go first: the newest say most about what is happening now.
      const fromBuffer = Math.min(over, this.#buffer.length);
      this.#buffer.splice(0, fromBuffer);
      this.#dropped += fromBuffer;
    }
    this.#pump();
  }

  /**
   * Delivers what is buffered until `deadline` (ms since the epoch), trying again every
   * DRAIN_RETRY_MS instead of waiting out the backoff. For shutdown: its timers keep the process
   * alive until it is done, and the deadline bounds that.
   */
  async drain(deadline: number): Promise<void> {
    const sleep = (ms: number) =>
      new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, deadline - Date.now()))));
    while (this.pending > 0 && Date.now() < deadline) {
      if (this.#retryTimer) {
        clearTimeout(this.#retryTimer);
        this.#retryTimer = undefined;
        await sleep(DRAIN_RETRY_MS);
        continue;
      }
      this.#pump();
      const writing = this.#writing;
      if (!writing) break;
      await Promise.race([writing, sleep(Infinity)]);
    }
  }

  #pump(): void {
    if (this.#writing || this.#retryTimer) return;
    if (!this.#current) {
      if (this.#buffer.length === 0) return;
      const events = this.#buffer.splice(0, this.#opts.maxBatch);
      this.#current = { batch: { id: `msg_${randomUUID()}`, events }, attempts: 0 };
    }
    const current = this.#current;
    current.attempts++;
    this.#writing = Promise.resolve()
      .then(() => this.sink.write(current.batch))
      .then(
        () => {
          this.#delivered += current.batch.events.length;
          this.#current = undefined;
          this.#writing = undefined;
          this.#pump();
        },
        () => {
          this.#writing = undefined;
          if (current.attempts >= this.#opts.maxAttempts) {
            this.#dropped += current.batch.events.length;
            this.#current = undefined;
            this.#pump();
            return;
          }
          const backoff = Math.min(
            this.#opts.maxBackoffMs,
            this.#opts.baseBackoffMs * 2 ** (current.attempts - 1),
          );
          this.#retryTimer = setTimeout(() => {
            this.#retryTimer = undefined;
            this.#pump();
          }, backoff);
          this.#retryTimer.unref?.();
        },
      );
  }
}
