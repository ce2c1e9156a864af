import { Batcher } from './batcher';
import type { AnalyticsEvent } from './events';
import { Delivery, type DeliveryOptions } from './sinks/delivery';
import { RecentMemory } from './sinks/memory';
import type { Sink } from './sinks/sink';

export type PipelineOptions = {
  sinks: readonly Sink[];
  /** The user's latest events in this process, for the activity panel (written at once). */
  recent?: RecentMemory;
  delivery: DeliveryOptions;
  maxBatch?: number;
  intervalMs?: number;
  /** How often drops are reported (one line per sink, counts only). */
  reportEveryMs?: number;
  report?: (line: string) => void;
};

/**
 * track() → batch (10 events or 30 s) → every sink's own bounded delivery. One slow sink holds
 * back no other, and none holds back the caller.
 */
export class Pipeline {
  readonly deliveries: Delivery[];
  readonly recent: RecentMemory | undefined;
  readonly #batcher: Batcher<AnalyticsEvent>;
  readonly #report: (line: string) => void;
  readonly #reportTimer: ReturnType<typeof setInterval>;

  constructor(options: PipelineOptions) {
    this.deliveries = options.sinks.map((sink) => new Delivery(sink, options.delivery));
    this.recent = options.recent;
    this.#report = options.report ?? ((line) => console.warn(line));
    this.#batcher = new Batcher(
      (events) => {
        for (const delivery of this.deliveries) delivery.accept(events);
      },
      options.maxBatch,
      options.intervalMs,
    );
    this.#reportTimer = setInterval(() => this.reportDrops(), options.reportEveryMs ?? 60_000);
    this.#reportTimer.unref?.();
  }

  add(event: AnalyticsEvent): void {
    // At once, not with the batch: the panel shows a sign-in before its batch goes out.
    this.recent?.add(event);
    this.#batcher.add(event);
  }

  /** Hands the pending batch to the sinks now (their delivery still runs in the background). */
  flush(): void {
    this.#batcher.flush();
  }

  /** One line per sink that dropped events since the last report: the count, never a payload. */
  reportDrops(): void {
    for (const delivery of this.deliveries) {
      const dropped = delivery.takeDropped();
      if (dropped > 0) {
        this.#report(
          `[analytics] sink "${delivery.sink.name}" dropped ${dropped} event(s) since the last report: it is down or too slow, and its buffer is bounded.`,
        );
      }
    }
  }

  /** Flushes, then gives every sink until `timeoutMs` to deliver what it holds. */
  async shutdown(timeoutMs = 4_000): Promise<void> {
    this.flush();
    const deadline = Date.now() + timeoutMs;
    await Promise.all(this.deliveries.map((d) => d.drain(deadline)));
    // The report timer stays (unref'd): events tracked after a flush still count their drops.
    this.reportDrops();
  }
}
