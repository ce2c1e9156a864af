/**
 * Browser-side session renewal, shared by every tab of this origin. Runs only in the browser
 * (components/auth/session-refresher-client.tsx and lib/client/fetch-with-refresh.ts call it).
 *
 * Refresh tokens rotate, so tabs must not refresh side by side: the server would cope (it shares
 * one exchange between requests carrying the same token), but each tab would spend a token of
 * its own and the IdP would see one refresh per tab instead of one per expiry. So:
 * - a Web Lock makes one tab at a time run POST /api/refresh;
 * - the tab that refreshed writes the new expiry to localStorage before it lets go of the lock,
 *   and the next tab to get the lock reads it and skips its own refresh;
 * - a BroadcastChannel tells the other tabs at once, so they reschedule their timers (or leave
 *   for the sign-in page when the session ended).
 * Without Web Locks (older browsers, or a page served over plain http from another host, which
 * is not a secure context) a random pause before re-reading localStorage stands in for the
 * lock: mostly one tab refreshes, and the server absorbs the rest.
 *
 * Deadlines are in this browser's clock (ms since the epoch): the server says how many seconds a
 * token has left, which survives a wrong clock on the device.
 */

export type RefreshOutcome =
  | { status: 'refreshed'; deadline: number }
  | { status: 'ended' }
  | { status: 'unavailable'; retryAfterSeconds?: number };

export type SessionEvent = { type: 'refreshed'; deadline: number } | { type: 'ended' };

const LOCK_NAME = 'sk-session-refresh';
const CHANNEL_NAME = 'sk-session';
const STORAGE_KEY = 'sk-session-deadline';
const FALLBACK_PAUSE_MS = 1_500;
/** The server answers within ~5 s even when the IdP hangs (lib/refresh.ts). */
const REQUEST_TIMEOUT_MS = 15_000;

let deadline = 0;
let inTab: Promise<RefreshOutcome> | undefined;
const listeners = new Set<(event: SessionEvent) => void>();
let channel: BroadcastChannel | undefined;

function readStored(): number {
  try {
    return Number(localStorage.getItem(STORAGE_KEY)) || 0;
  } catch {
    return 0; // storage disabled: the lock alone still serialises the tabs
  }
}

function writeStored(value: number | undefined) {
  try {
    if (value === undefined) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, String(value));
  } catch {}
}

function emit(event: SessionEvent) {
  if (event.type === 'refreshed') deadline = Math.max(deadline, event.deadline);
  for (const listener of listeners) listener(event);
}

function getChannel() {
  if (!channel && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (message: MessageEvent<SessionEvent>) => emit(message.data);
  }
  return channel;
}

/** The latest access-token deadline any tab knows of. */
export function knownDeadline(): number {
  deadline = Math.max(deadline, readStored());
  return deadline;
}

/** Records what the server rendered this page with (`msLeft` by the server's clock). */
export function noteServerExpiry(msLeft: number) {
  const rendered = Date.now() + msLeft;
  // A server-side refresh (GET /api/refresh on a navigation) is news for the other tabs too.
  if (rendered > knownDeadline()) writeStored(rendered);
  deadline = Math.max(deadline, rendered);
}

/** Subscribes to refreshes and endings from this tab and the others. */
export function onSessionEvent(listener: (event: SessionEvent) => void) {
  getChannel();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(event: SessionEvent) {
  if (event.type === 'refreshed') writeStored(event.deadline);
  else writeStored(undefined);
  getChannel()?.postMessage(event);
  emit(event);
}

async function post(): Promise<RefreshOutcome> {
  let response: Response;
  try {
    response = await fetch('/api/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      // The server may rotate the token the moment the request arrives; if this tab closes or
      // navigates before the answer, keepalive still lets the browser store the new cookies,
      // instead of keeping a spent token that would end the session when next used.
      keepalive: true,
      // The lock is held meanwhile: a request that never ends must not stall every tab.
      signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS),
    });
  } catch {
    return { status: 'unavailable' }; // offline, or the server restarting
  }
  if (response.ok) {
    const body = (await response.json().catch(() => ({}))) as { expiresIn?: unknown };
    const seconds = typeof body.expiresIn === 'number' ? body.expiresIn : 0;
    return { status: 'refreshed', deadline: Date.now() + seconds * 1_000 };
  }
  if (response.status === 401) return { status: 'ended' };
  const retryAfter = Number(response.headers.get('retry-after'));
  return { status: 'unavailable', retryAfterSeconds: retryAfter > 0 ? retryAfter : undefined };
}

async function exclusive<T>(run: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(LOCK_NAME, run);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * FALLBACK_PAUSE_MS));
  return run();
}

/**
 * Refreshes the session unless another tab has done so since this tab saw `seenDeadline`.
 * One call at a time per tab; one tab at a time per browser.
 */
export function refreshSession(seenDeadline = knownDeadline()): Promise<RefreshOutcome> {
  inTab ??= exclusive(async () => {
    const latest = knownDeadline();
    if (latest > seenDeadline && latest > Date.now()) {
      return { status: 'refreshed', deadline: latest } as const;
    }
    const outcome = await post();
    if (outcome.status === 'refreshed') announce({ type: 'refreshed', deadline: outcome.deadline });
    if (outcome.status === 'ended') announce({ type: 'ended' });
    return outcome;
  }).finally(() => {
    inTab = undefined;
  });
  return inTab;
}

/** Where a tab goes when its session has ended: the "your session ended" page. */
export function sessionEndedUrl() {
  const here = window.location.pathname + window.location.search;
  return `/auth/error?code=session_expired&returnTo=${encodeURIComponent(here)}`;
}
