/**
 * Collects items and hands them on in batches: when `maxBatch` are waiting, after `intervalMs`
 * since the first one, or on `flush()`. `add` is the request path: a push and a length check;
 * the hand-off itself runs on a microtask, never inside the caller.
 */
export class Batcher<T> {
  #items: T[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #scheduled = false;

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
      this.#timer = setTimeout(() => this.flush(), this.intervalMs);
      // A pending batch must not keep a process alive; shutdown() flushes it.
      this.#timer.unref?.();
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.deliver(items);
  }
}
