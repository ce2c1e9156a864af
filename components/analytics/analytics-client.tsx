'use client';

import { useOptionalSession } from '@/components/auth/session-provider';
import { EventQueue, type TrackProps } from '@/lib/client/analytics';

export type Analytics = {
  /** Queues an event; it goes out with the next batch. */
  track(name: string, props?: TrackProps): void;
  /** Sends what is queued; await it before navigating away if the events must arrive first. */
  flush(): Promise<void>;
};

// Signed out, or outside <AuthProvider>: nothing is tracked and nothing breaks.
const noop: Analytics = { track: () => undefined, flush: () => Promise.resolve() };

// One queue per tab, made at the first event: a page that never tracks anything starts no timer
// and adds no page-hide listener. Performance: not a context provider of its own, because each
// client component the root layout renders costs server CPU on every signed-in request
// (docs/5-performance.md); the session it needs is already in <SessionProvider>.
let queue: EventQueue | undefined;
function tabQueue(): EventQueue {
  if (!queue) {
    queue = new EventQueue();
    queue.listen();
  }
  return queue;
}

const signedIn: Analytics = {
  track: (name, props) => tabQueue().track(name, props),
  flush: () => queue?.flush() ?? Promise.resolve(),
};

/**
 * `{ track, flush }` for a signed-in visitor (an access token being renewed counts), no-ops for
 * everyone else: signed out, no event could reach the server (it would answer 401 anyway).
 */
export function useAnalytics(): Analytics {
  const session = useOptionalSession();
  return session && session.status !== 'unauthenticated' ? signedIn : noop;
}
