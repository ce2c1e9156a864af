import 'server-only';

/**
 * One place for the work a clean stop must finish: flushing buffers, closing connections.
 * Modules register a hook when they start something that needs it; the SIGTERM handler (see
 * instrumentation.ts) calls `shutdown()` once and waits for the hooks, each bounded by its
 * own timeout so one stuck hook cannot hold the process past the orchestrator's grace period.
 */
export type ShutdownHook = () => Promise<unknown> | unknown;

const hooks = new Map<string, ShutdownHook>();
let stopping: Promise<void> | undefined;

/** Registers (or replaces) the hook called `name`. Returns a function that removes it. */
export function onShutdown(name: string, hook: ShutdownHook): () => void {
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

/** True once a shutdown has begun: new long-lived work should not start. */
export const isShuttingDown = () => stopping !== undefined;

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
