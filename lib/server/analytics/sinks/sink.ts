import type { AnalyticsEvent } from '../events';

/** One delivery: `id` stays the same across retries, so a receiver can drop duplicates. */
export type Batch = Readonly<{ id: string; events: readonly AnalyticsEvent[] }>;

/**
 * Where events go. `write` resolves once the batch is stored and rejects when it was not (the
 * caller retries with backoff); it is never on a request's path (./delivery.ts runs it).
 */
export interface Sink {
  readonly name: string;
  write(batch: Batch): Promise<void>;
}
