import { beforeEach, describe, expect, it, vi } from 'vitest';

// The module keeps process-wide state (hooks, drain flag), so each test loads a fresh copy.
async function load() {
  vi.resetModules();
  return import('./shutdown');
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('stopGracefully', () => {
  beforeEach(() => vi.useRealTimers());

  it('goes not-ready at once, waits for the refresh in flight, then runs the hooks, then exits 0', async () => {
    const s = await load();
    const order: string[] = [];
    s.onShutdown('flush', () => order.push('hook'));
    const refresh = deferred();
    const tracked = s.trackInFlight(async () => {
      await refresh.promise;
      order.push('refresh done');
      return 'rotated';
    });
    const exit = vi.fn((code: number) => order.push(`exit ${code}`));

    const stopping = s.stopGracefully('SIGTERM', { exit, flushMs: 0, log: () => undefined });
    expect(s.isShuttingDown()).toBe(true);
    expect(s.inFlightCount()).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);

    refresh.resolve();
    await expect(tracked).resolves.toBe('rotated');
    await stopping;
    expect(order).toEqual(['refresh done', 'hook', 'exit 0']);
  });

  it('stops waiting after the drain bound and says how many refreshes it cut off', async () => {
    const s = await load();
    void s.trackInFlight(() => new Promise(() => undefined));
    const lines: string[] = [];
    const exit = vi.fn();
    const started = Date.now();
    await s.stopGracefully('SIGTERM', {
      drainTimeoutMs: 100,
      flushMs: 0,
      exit,
      log: (l) => lines.push(l),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(exit).toHaveBeenCalledWith(0);
    expect(lines.at(-1)).toContain('1 refresh(es) still running were cut off');
  });

  it('runs once when the signal arrives twice', async () => {
    const s = await load();
    const hook = vi.fn();
    s.onShutdown('close', hook);
    const exit = vi.fn();
    const opts = { exit, flushMs: 0, log: () => undefined };
    await Promise.all([s.stopGracefully('SIGTERM', opts), s.stopGracefully('SIGINT', opts)]);
    expect(hook).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
  });

  it('bounds a stuck hook', async () => {
    const s = await load();
    s.onShutdown('stuck', () => new Promise(() => undefined));
    const exit = vi.fn();
    await s.stopGracefully('SIGTERM', {
      exit,
      hookTimeoutMs: 50,
      flushMs: 0,
      log: () => undefined,
    });
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('leaves the signals to Next.js unless NEXT_MANUAL_SIG_HANDLE is set', async () => {
    const s = await load();
    const before = process.listenerCount('SIGTERM');
    expect(s.handleTerminationSignals(false)).toBe(false);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});

describe('trackInFlight', () => {
  it('counts work until it settles, failures included', async () => {
    const s = await load();
    const failing = s.trackInFlight(() => Promise.reject(new Error('idp down')));
    expect(s.inFlightCount()).toBe(1);
    await expect(failing).rejects.toThrow('idp down');
    expect(s.inFlightCount()).toBe(0);
    await expect(s.whenIdle(10)).resolves.toBeUndefined();
  });
});
