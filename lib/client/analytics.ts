/**
 * The browser half of analytics: events queue in memory and go to POST /api/events every 30 s,
 * when 10 are queued, on `flush()`, and when the page is hidden (sendBeacon, which survives the
 * page's end, else a keep-alive fetch). No user id is ever sent: the server takes identity from
 * the session cookie alone.
 */

export type TrackProps = Record<string, unknown>;

export type QueuedEvent = {
  name: string;
  props: TrackProps;
  ts: number;
  context: BrowserContext;
};

export type BrowserContext = {
  locale?: string;
  screen?: { width: number; height: number };
  referrer?: string;
  url?: string;
};

export type Transport = {
  /** Resolves true when the server took the batch (or refused it for good: no retry helps). */
  send(body: string): Promise<boolean>;
  /** Fire and forget while the page goes away; true when the browser accepted it. */
  beacon(body: string): boolean;
};

export const ENDPOINT = '/api/events';
/** The server's own limit per request (lib/server/analytics/validate.ts). */
const PER_REQUEST = 50;
/** Events kept while the server cannot be reached; the oldest go first past it. */
const MAX_QUEUED = 200;

// Security: origin only for the referrer and no query or fragment for the URL: they can carry
// codes, tokens and other sites' secrets. The server strips them again; this keeps them off the wire.
function currentContext(): BrowserContext {
  let referrer: string | undefined;
  try {
    referrer = document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    referrer = undefined;
  }
  return {
    locale: navigator.language,
    screen: { width: screen.width, height: screen.height },
    referrer,
    url: location.origin + location.pathname,
  };
}

export const fetchTransport: Transport = {
  async send(body) {
    try {
      const response = await fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        credentials: 'same-origin',
      });
      // 4xx other than 429: this batch will never be taken (signed out, invalid); drop it.
      return (
        response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)
      );
    } catch {
      return false;
    }
  },
  beacon(body) {
    const blob = new Blob([body], { type: 'application/json' });
    if (typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(ENDPOINT, blob)) {
      return true;
    }
    void fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      credentials: 'same-origin',
      keepalive: true,
    }).catch(() => undefined);
    return true;
  },
};

type Entry = { seq: number; event: QueuedEvent };
const bySeq = (a: Entry, b: Entry) => a.seq - b.seq;

export class EventQueue {
  #queue: Entry[] = [];
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly transport: Transport = fetchTransport,
    private readonly context: () => BrowserContext = currentContext,
    private readonly maxBatch = 10,
    private readonly intervalMs = 30_000,
  ) {}

  get size(): number {
    return this.#queue.length;
  }

  track(name: string, props: TrackProps = {}): void {
    const event = { name, props, ts: Date.now(), context: this.context() };
    this.#queue.push({ seq: this.#seq++, event });
    if (this.#queue.length > MAX_QUEUED) this.#queue.splice(0, this.#queue.length - MAX_QUEUED);
    if (this.#queue.length >= this.maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** Sends everything queued; resolves when the server has answered (or could not be reached). */
  flush(): Promise<void> {
    this.#clearTimer();
    const events = this.#queue.splice(0);
    const previous = this.#inFlight;
    this.#inFlight = previous.then(async () => {
      for (let i = 0; i < events.length; i += PER_REQUEST) {
        const chunk = events.slice(i, i + PER_REQUEST).map((e) => e.event);
        if (!(await this.transport.send(JSON.stringify({ events: chunk })))) {
          // Unreachable: back in the queue, in the order tracked, for the next try; within the
          // bound, the oldest go first.
          this.#queue = [...events.slice(i), ...this.#queue].sort(bySeq);
          this.#queue.splice(0, Math.max(0, this.#queue.length - MAX_QUEUED));
          this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs);
          return;
        }
      }
    });
    return this.#inFlight;
  }

  /** The page is going away: hand everything to the browser in one go. */
  flushOnHide(): void {
    this.#clearTimer();
    const events = this.#queue.splice(0);
    for (let i = 0; i < events.length; i += PER_REQUEST) {
      const chunk = events.slice(i, i + PER_REQUEST).map((e) => e.event);
      this.transport.beacon(JSON.stringify({ events: chunk }));
    }
  }

  /** Flushes on page hide (tab switch, navigation away, close). Returns the clean-up. */
  listen(
    win: EventTarget = window,
    doc: EventTarget & { visibilityState: DocumentVisibilityState } = document,
  ): () => void {
    const onVisibility = () => {
      if (doc.visibilityState === 'hidden') this.flushOnHide();
    };
    const onPageHide = () => this.flushOnHide();
    doc.addEventListener('visibilitychange', onVisibility);
    win.addEventListener('pagehide', onPageHide);
    return () => {
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('pagehide', onPageHide);
      this.#clearTimer();
    };
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
