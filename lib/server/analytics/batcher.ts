/**
 * Collects items and hands them on in batches: when `maxBatch` are waiting, at the latest
 * `intervalMs` after the first one, or on `flush()`. `add` is the request path: a push and a
 * length check; the hand-off itself runs on a microtask, never inside the caller.
 */
export class Batcher<T> {
  #items: T[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #scheduled = false;
  /** Whether the oldest waiting item has already seen one tick of the interval. */
  #aged = false;

  constructor(
    private readonly deliver: (items: T[]) => void,
    private readonly maxBatch = 10,
    private readonly intervalMs = 30_000,
  ) {}

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    this.#items.push(item);
    if (this.#items.length >= this.maxBatch) {
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => this.flush());
      }
    } else if (!this.#timer) {
      // One timer for the batcher's life, not one per batch: creating and clearing a timer for
      // every 10 events was the largest part of add()'s cost. Ticking at half the interval, an
      // item waits at most `intervalMs` (it is sent on the second tick it sees).
      this.#timer = setInterval(() => this.#tick(), this.intervalMs / 2);
      // A pending batch must not keep a process alive; shutdown() flushes it.
      this.#timer.unref?.();
    }
  }

  #tick(): void {
    if (this.#items.length === 0) return;
    if (this.#aged) this.flush();
    else this.#aged = true;
  }

  flush(): void {
    this.#scheduled = false;
    this.#aged = false;
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.deliver(items);
  }

  /** Stops the timer (the items stay until the next flush). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
