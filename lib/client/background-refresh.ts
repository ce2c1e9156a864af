import { idleDeadline, shouldRenew, trackActivity } from './activity';
import { refreshDelay, retryDelay } from './refresh-schedule';
import {
  knownToken,
  noteServerToken,
  onSessionEvent,
  refreshAcrossTabs,
  sessionEndedUrl,
} from './session-refresh';

export type BackgroundRefreshOptions = {
  /** The access token's `exp` (0 when it has expired). */
  expiresAt: number;
  /** Milliseconds it has left, by the server's clock. */
  msLeft: number;
  /** SESSION_IDLE_TIMEOUT in ms. */
  idleMs: number;
};

/**
 * Keeps a signed-in tab's session fresh: refreshes about a minute before the access token
 * expires (./refresh-schedule.ts), one tab at a time (./session-refresh.ts). An outage is retried
 * with back-off and never signs anyone out; only the server saying the session is over (401)
 * takes the tab to the "your session ended" page. Returns the function that stops it.
 * <SessionProvider> starts it for signed-in visitors (components/auth/session-provider.tsx).
 *
 * Security: it renews only for a user active within the idle window (./activity.ts), so
 * SESSION_IDLE_TIMEOUT ends a forgotten tab's session instead of the timer keeping it alive
 * until SESSION_MAX_AGE. An idle tab waits; input brings the renewal at once, and if none comes
 * before the session's idle deadline the tab shows "your session ended".
 */
export function startBackgroundRefresh({
  expiresAt,
  msLeft,
  idleMs,
}: BackgroundRefreshOptions): () => void {
  noteServerToken(expiresAt, msLeft);
  const activity = trackActivity();
  // When the session was last renewed, as far as this tab knows. The server's idle clock
  // started at the cookies' last write, no later than this; idleDeadline() adds the slack of
  // its whole-second clock, so "session ended" is never shown while the server would renew.
  let renewedAt = Date.now();
  // A due renewal held back because nobody is using the tab.
  let waitingForActivity = false;
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
    if (!shouldRenew(activity.lastActiveAt(), Date.now(), idleMs)) {
      // Idle: let the session lapse. Input before its idle deadline resumes (onActive below).
      const deadline = idleDeadline(renewedAt, idleMs);
      if (Date.now() >= deadline) return end();
      waitingForActivity = true;
      return schedule(deadline - Date.now());
    }
    waitingForActivity = false;
    const outcome = await refreshAcrossTabs(plannedFor);
    if (stopped) return;
    if (outcome.status === 'ended') return end();
    if (outcome.status === 'refreshed') {
      failures = 0;
      renewedAt = Date.now();
      return plan();
    }
    schedule(retryDelay(failures++, outcome.retryAfterSeconds));
  }

  const unsubscribe = onSessionEvent((event) => {
    if (stopped) return;
    if (event.type === 'ended') return end();
    // Another tab, whose user is active, renewed the session.
    failures = 0;
    renewedAt = Date.now();
    waitingForActivity = false;
    plan();
  });
  const stopActivity = activity.onActive(() => {
    if (!stopped && waitingForActivity) void run();
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
    stopActivity();
    activity.stop();
    document.removeEventListener('visibilitychange', wake);
    window.removeEventListener('online', wake);
  };
}
