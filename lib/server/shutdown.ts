import 'server-only';

/**
 * One place for the work a clean stop must finish: flushing buffers, closing connections.
 * Modules register a hook when they start something that needs it; the SIGTERM handler
 * (`handleTerminationSignals`, installed by instrumentation.ts) calls `shutdown()` once and waits
 * for the hooks, each bounded by its own timeout so one stuck hook cannot hold the process past
 * the orchestrator's grace period.
 */
export type ShutdownHook = () => Promise<unknown> | unknown;

const hooks = new Map<string, ShutdownHook>();
let stopping: Promise<void> | undefined;
let draining = false;

/** Registers (or replaces) the hook called `name`. Returns a function that removes it. */
export function onShutdown(name: string, hook: ShutdownHook): () => void {
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

/** True from the termination signal on: readiness answers 503, new long-lived work should not start. */
export const isShuttingDown = () => draining || stopping !== undefined;

/** Runs every hook once, concurrently, each for at most `timeoutMs`. Safe to call twice. */
export function shutdown(timeoutMs = 5_000): Promise<void> {
  stopping ??= Promise.all(
    [...hooks.values()].map((hook) =>
      Promise.race([
        Promise.resolve()
          .then(hook)
          .catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]),
    ),
  ).then(() => undefined);
  return stopping;
}

// ---- Work in flight ----

let inFlight = 0;
const idleWaiters = new Set<() => void>();

/**
 * Runs `work` as in-flight work the drain waits for. The refresh route uses it: a refresh cut off
 * after the IdP rotated the token but before the browser got the new cookies would sign the user
 * out (the old token is spent).
 */
export async function trackInFlight<T>(work: () => Promise<T>): Promise<T> {
  inFlight += 1;
  try {
    return await work();
  } finally {
    inFlight -= 1;
    if (inFlight === 0) for (const wake of idleWaiters) wake();
  }
}

/** How much tracked work is running now. */
export const inFlightCount = () => inFlight;

/** Resolves once no tracked work runs, or after `timeoutMs`, whichever comes first. */
export function whenIdle(timeoutMs: number): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      idleWaiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    idleWaiters.add(done);
  });
}

// ---- Signals ----

export type StopOptions = Readonly<{
  /** Longest wait for in-flight refreshes before the hooks run anyway. */
  drainTimeoutMs?: number;
  /** Bound on each shutdown hook. */
  hookTimeoutMs?: number;
  /** Pause after the hooks so the last responses leave their sockets before the process exits. */
  flushMs?: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
}>;

/**
 * The stop sequence for SIGTERM (and SIGINT): readiness goes 503 at once, so the load balancer
 * stops sending work; the server keeps answering meanwhile (a balancer takes a few seconds to
 * notice, and refusing connections then would fail requests it already routed); refreshes in
 * flight finish; the hooks run (flushes, Redis); the process exits 0. Returns when done (tests).
 */
export async function stopGracefully(signal: string, options: StopOptions = {}): Promise<void> {
  if (draining) return;
  draining = true;
  const {
    drainTimeoutMs = 10_000,
    hookTimeoutMs = 5_000,
    flushMs = 250,
    log = (line: string) => console.log(line),
    exit = (code: number) => process.exit(code),
  } = options;
  const started = Date.now();
  log(`[shutdown] ${signal}: draining, ${inFlight} refresh(es) in flight`);
  await whenIdle(drainTimeoutMs);
  const cut = inFlight;
  await shutdown(hookTimeoutMs);
  await new Promise((resolve) => setTimeout(resolve, flushMs));
  log(
    `[shutdown] done in ${Date.now() - started} ms${cut > 0 ? `; ${cut} refresh(es) still running were cut off` : ''}`,
  );
  exit(0);
}

let installed = false;

/**
 * Installs the stop sequence on SIGTERM and SIGINT. Next.js has its own handler (close the
 * listener, exit 143 once open requests end, without the app's hooks) unless
 * NEXT_MANUAL_SIG_HANDLE is set, so this only runs when it is: `npm start`, the Dockerfile and
 * the tests set it. Returns false (and changes nothing) when Next keeps the signals.
 */
export function handleTerminationSignals(manualSignalHandling: boolean): boolean {
  if (!manualSignalHandling || installed) return installed;
  installed = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void stopGracefully(signal));
  }
  return true;
}
