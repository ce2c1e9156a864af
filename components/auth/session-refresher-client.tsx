'use client';

import { useEffect } from 'react';
import { refreshDelay, retryDelay } from '@/lib/client/refresh-schedule';
import {
  knownToken,
  noteServerToken,
  onSessionEvent,
  refreshSession,
  sessionEndedUrl,
} from '@/lib/client/session-refresh';

/**
 * Keeps a signed-in tab's session fresh: refreshes about a minute before the access token
 * expires (see lib/client/refresh-schedule.ts), one tab at a time (lib/client/session-refresh.ts).
 * An outage is retried with back-off and never signs anyone out; only the server saying the
 * session is over (401) takes the tab to the "your session ended" page. Renders nothing.
 */
export function SessionRefresherClient({
  expiresAt,
  msLeft,
}: {
  /** The access token's `exp` (0 when it has expired). */
  expiresAt: number;
  /** Milliseconds it has left, by the server's clock. */
  msLeft: number;
}) {
  useEffect(() => {
    noteServerToken(expiresAt, msLeft);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The token the pending timer is for: if a newer one shows up, someone else refreshed it.
    let plannedFor = 0;
    let failures = 0;
    let stopped = false;

    const schedule = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    };
    const plan = () => {
      const token = knownToken();
      plannedFor = token.exp;
      schedule(refreshDelay(token.deadline - Date.now()));
    };
    const end = () => {
      stopped = true;
      clearTimeout(timer);
      window.location.assign(sessionEndedUrl());
    };

    async function run() {
      if (knownToken().exp > plannedFor) return plan();
      const outcome = await refreshSession(plannedFor);
      if (stopped) return;
      if (outcome.status === 'ended') return end();
      if (outcome.status === 'refreshed') {
        failures = 0;
        return plan();
      }
      schedule(retryDelay(failures++, outcome.retryAfterSeconds));
    }

    const unsubscribe = onSessionEvent((event) => {
      if (stopped) return;
      if (event.type === 'ended') return end();
      failures = 0;
      plan();
    });
    // Hidden tabs and sleeping laptops delay timers; whatever is due runs on return.
    const wake = () => {
      if (!stopped && document.visibilityState === 'visible' && failures === 0) plan();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', wake);
    plan();

    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', wake);
    };
  }, [expiresAt, msLeft]);

  return null;
}
