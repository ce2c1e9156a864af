/**
 * Is someone using this tab? The idle timeout (SESSION_IDLE_TIMEOUT) means "no use for that
 * long", but a refresher renewing on a timer would keep a forgotten tab's session alive until
 * SESSION_MAX_AGE. So the refresher renews only when the user was active within the idle window
 * (lib/client/session-refresh.ts, lib/client/background-refresh.ts). Active means
 * input (pointer, key, wheel, touch) or the page becoming visible; loading the page counts as
 * well, since someone opened it. Browser-only; the targets are injectable for tests.
 */

/** Input that only a person produces. Not `pointermove`/`scroll`: they fire without anyone. */
export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export type ActivityTracker = {
  /** When the user was last active (ms since the epoch, this browser's clock). */
  lastActiveAt(): number;
  /** Whether the user was active within the last `windowMs`. */
  activeWithin(windowMs: number): boolean;
  /** Called on each burst of activity (at most once per second). */
  onActive(listener: () => void): () => void;
  stop(): void;
};

const NOTIFY_EVERY_MS = 1_000;

export function trackActivity({
  target = typeof window === 'undefined' ? undefined : window,
  doc = typeof document === 'undefined' ? undefined : document,
  now = Date.now,
}: {
  target?: EventTarget;
  doc?: EventTarget & { visibilityState: DocumentVisibilityState };
  now?: () => number;
} = {}): ActivityTracker {
  let last = now();
  let notified = 0;
  const listeners = new Set<() => void>();

  const mark = () => {
    last = now();
    if (last - notified < NOTIFY_EVERY_MS) return;
    notified = last;
    for (const listener of [...listeners]) listener();
  };
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') mark();
  };
  const options = { capture: true, passive: true } as const;
  for (const type of ACTIVITY_EVENTS) target?.addEventListener(type, mark, options);
  doc?.addEventListener('visibilitychange', onVisibility);

  return {
    lastActiveAt: () => last,
    activeWithin: (windowMs) => now() - last < windowMs,
    onActive(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      for (const type of ACTIVITY_EVENTS) target?.removeEventListener(type, mark, options);
      doc?.removeEventListener('visibilitychange', onVisibility);
      listeners.clear();
    },
  };
}

/**
 * How long after `renewedAt + idle` the tab waits before it calls the session over. The server's
 * idle clock counts whole seconds from the cookie's `iat` and still accepts the boundary second,
 * so it can renew for up to two seconds past the tab's own deadline; a tab that gave up earlier
 * would show "session ended" on a page whose next load renews the session after all.
 */
export const IDLE_DEADLINE_SLACK_MS = 2_000;

/** When an idle tab stops waiting for input and shows "session ended" (see the slack above). */
export function idleDeadline(renewedAt: number, idleMs: number): number {
  return renewedAt + idleMs + IDLE_DEADLINE_SLACK_MS;
}

/**
 * The refresher's rule. Renew when the user was active within the idle window; otherwise do not,
 * and the session lapses `idleMs` after it was last renewed (the server measures idleness from
 * the cookies' last write). So a forgotten tab's session ends at most two idle windows after
 * the last input, and never renews itself until SESSION_MAX_AGE.
 */
export function shouldRenew(lastActiveAt: number, now: number, idleMs: number): boolean {
  return now - lastActiveAt < idleMs;
}
