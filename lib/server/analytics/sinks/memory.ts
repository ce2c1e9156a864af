import type { AnalyticsEvent } from '../events';
import type { Batch, Sink } from './sink';

/**
 * The last few events of each recent user, in this process's memory: the activity panel's
 * source when no Redis stream is configured (development, one instance). Bounded both ways:
 * `perUser` events each, `maxUsers` users (the least recently active go first).
 */
export class RecentMemory implements Sink {
  readonly name = 'memory';
  readonly #users = new Map<string, AnalyticsEvent[]>();

  constructor(
    readonly perUser = 20,
    readonly maxUsers = 1_000,
  ) {}

  write(batch: Batch): Promise<void> {
    for (const event of batch.events) this.add(event);
    return Promise.resolve();
  }

  add(event: AnalyticsEvent): void {
    if (!event.userId) return;
    const list = this.#users.get(event.userId) ?? [];
    this.#users.delete(event.userId);
    list.push(event);
    if (list.length > this.perUser) list.splice(0, list.length - this.perUser);
    this.#users.set(event.userId, list);
    if (this.#users.size > this.maxUsers) {
      const oldest = this.#users.keys().next().value;
      if (oldest !== undefined) this.#users.delete(oldest);
    }
  }

  /** Newest first. */
  recent(userId: string, limit: number): AnalyticsEvent[] {
    return (this.#users.get(userId) ?? []).slice(-limit).reverse();
  }

  get userCount(): number {
    return this.#users.size;
  }
}
