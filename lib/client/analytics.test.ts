import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventQueue, type Transport } from './analytics';

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  hide() {
    this.visibilityState = 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

/** What reached the "server": each request's events, and how it was sent. */
function recorder(answer: () => boolean = () => true) {
  const sent: { via: 'fetch' | 'beacon'; names: string[]; body: string }[] = [];
  const transport: Transport = {
    send: async (body) => {
      const ok = answer();
      if (ok) sent.push({ via: 'fetch', names: names(body), body });
      return ok;
    },
    beacon: (body) => {
      sent.push({ via: 'beacon', names: names(body), body });
      return true;
    },
  };
  return { sent, transport };
}
const names = (body: string) =>
  (JSON.parse(body) as { events: { name: string }[] }).events.map((e) => e.name);
const context = () => ({ url: 'http://localhost:3000/dashboard', locale: 'en-GB' });

describe('the browser event queue', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('sends when 10 events are queued, not before', async () => {
    const { sent, transport } = recorder();
    const queue = new EventQueue(transport, context);
    for (let i = 0; i < 9; i++) queue.track(`e${i}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(0);
    queue.track('e9');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.names).toHaveLength(10);
    expect(queue.size).toBe(0);
  });

  it('sends a partial batch after 30 seconds', async () => {
    const { sent, transport } = recorder();
    const queue = new EventQueue(transport, context);
    queue.track('page.viewed', { path: '/dashboard' });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.names)).toEqual([['page.viewed']]);
  });

  it('flush() resolves after the server has the events', async () => {
    const { sent, transport } = recorder();
    const queue = new EventQueue(transport, context);
    queue.track('checkout.completed', { total: 99.99 });
    await queue.flush();
    expect(sent).toHaveLength(1);
    const event = (JSON.parse(sent[0]!.body) as { events: Record<string, unknown>[] }).events[0]!;
    expect(event).toEqual({
      name: 'checkout.completed',
      props: { total: 99.99 },
      ts: 1_000_000,
      context: context(),
    });
    // No identity of any kind goes from the browser.
    expect(sent[0]!.body).not.toMatch(/user/i);
  });

  it('hands the queue to sendBeacon when the page is hidden', async () => {
    const { sent, transport } = recorder();
    const queue = new EventQueue(transport, context);
    const win = new EventTarget();
    const doc = new FakeDocument();
    const stop = queue.listen(win, doc);
    queue.track('a');
    queue.track('b');
    doc.hide();
    expect(sent).toEqual([expect.objectContaining({ via: 'beacon', names: ['a', 'b'] })]);
    queue.track('c');
    win.dispatchEvent(new Event('pagehide'));
    expect(sent.at(-1)).toEqual(expect.objectContaining({ via: 'beacon', names: ['c'] }));
    stop();
    queue.track('d');
    win.dispatchEvent(new Event('pagehide'));
    expect(sent).toHaveLength(2);
  });

  it('keeps events for the next try when the server cannot be reached, within a bound', async () => {
    let up = false;
    const { sent, transport } = recorder(() => up);
    const queue = new EventQueue(transport, context);
    for (let i = 0; i < 250; i++) queue.track(`e${i}`);
    await queue.flush();
    expect(sent).toHaveLength(0);
    expect(queue.size).toBe(200);
    up = true;
    await queue.flush();
    // The oldest went first; the server's limit of 50 per request is kept.
    expect(sent.map((s) => s.names.length)).toEqual([50, 50, 50, 50]);
    expect(sent[0]!.names[0]).toBe('e50');
  });
});

describe('the transport', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('falls back to a keep-alive fetch when sendBeacon refuses', async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 202 }));
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('navigator', { sendBeacon: () => false });
    const { fetchTransport } = await import('./analytics');
    expect(fetchTransport.beacon('{"events":[]}')).toBe(true);
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/events',
      expect.objectContaining({ method: 'POST', keepalive: true, body: '{"events":[]}' }),
    );
  });

  it('drops a batch the server refuses for good, keeps one it rate-limited', async () => {
    const { fetchTransport } = await import('./analytics');
    for (const [status, taken] of [
      [202, true],
      [400, true],
      [401, true],
      [429, false],
      [503, false],
    ] as const) {
      vi.stubGlobal('fetch', async () => new Response(null, { status }));
      expect(await fetchTransport.send('{}'), String(status)).toBe(taken);
    }
  });
});
