/**
 * Browser-side session renewal, shared by every tab of this origin. Runs only in the browser
 * (lib/client/background-refresh.ts and lib/client/fetch-with-refresh.ts call it).
 *
 * Refresh tokens rotate, so tabs must not refresh side by side: the server would cope (it shares
 * one exchange between requests carrying the same token), but each tab would spend a token of
 * its own and the IdP would see one refresh per tab instead of one per expiry. So:
 * - a Web Lock makes one tab at a time run POST /api/refresh;
 * - the tab that refreshed writes the new token's expiry to localStorage; the next tab to get the
 *   lock, having waited for it, gives that news a moment to arrive (storage reaches other tabs'
 *   processes asynchronously), reads it and skips its own refresh;
 * - a BroadcastChannel tells the other tabs at once, so they reschedule their timers (or leave
 *   for the "session ended" page).
 * Without Web Locks (older browsers, or a page served over plain http from another host, which
 * is not a secure context) a random pause before re-reading localStorage stands in for the
 * lock: mostly one tab refreshes, and the server absorbs the rest.
 *
 * A token is known by its `exp` (the server's clock, identical wherever it is reported: so "a
 * newer token exists" is an exact comparison), and is due by `deadline`, the same moment in this
 * browser's clock, computed from the seconds the server says are left, so that a device whose
 * clock is off by minutes neither refreshes in a loop nor too late.
 */

import { authErrorPath } from '@/lib/auth/paths';

export type KnownToken = { exp: number; deadline: number };

export type RefreshOutcome =
  | ({ status: 'refreshed' } & KnownToken)
  | { status: 'ended' }
  | { status: 'unavailable'; retryAfterSeconds?: number };

export type SessionEvent = ({ type: 'refreshed' } & KnownToken) | { type: 'ended' };

const LOCK_NAME = 'sk-session-refresh';
const CHANNEL_NAME = 'sk-session';
const STORAGE_KEY = 'sk-session-token';
const FALLBACK_PAUSE_MS = 1_500;
const SETTLE_MS = 150;
/** The server answers within ~5 s even when the IdP hangs (lib/server/refresh/tokens.ts). */
const REQUEST_TIMEOUT_MS = 15_000;

let known: KnownToken = { exp: 0, deadline: 0 };
let inTab: Promise<RefreshOutcome> | undefined;
const listeners = new Set<(event: SessionEvent) => void>();
let channel: BroadcastChannel | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readStored(): KnownToken | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as KnownToken | null;
    return typeof value?.exp === 'number' && typeof value.deadline === 'number' ? value : undefined;
  } catch {
    return undefined; // storage disabled: the lock alone still serialises the tabs
  }
}

function writeStored(value: KnownToken | undefined) {
  try {
    if (value) localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {}
}

function learn(token: KnownToken) {
  if (token.exp > known.exp) known = { exp: token.exp, deadline: token.deadline };
}

function emit(event: SessionEvent) {
  if (event.type === 'refreshed') learn(event);
  for (const listener of listeners) listener(event);
}

function getChannel() {
  if (!channel && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (message: MessageEvent<SessionEvent>) => emit(message.data);
  }
  return channel;
}

/** The newest access token any tab knows of. */
export function knownToken(): KnownToken {
  const stored = readStored();
  if (stored) learn(stored);
  return known;
}

/** Records the token the server rendered this page with: its `exp`, and ms left by the server. */
export function noteServerToken(exp: number, msLeft: number) {
  const rendered = { exp, deadline: Date.now() + msLeft };
  // A server-side refresh (GET /api/refresh on a navigation) is news for the other tabs too.
  if (exp > knownToken().exp) writeStored(rendered);
  learn(rendered);
}

/** Subscribes to refreshes and endings from this tab and the others. */
export function onSessionEvent(listener: (event: SessionEvent) => void) {
  getChannel();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(event: SessionEvent) {
  writeStored(
    event.type === 'refreshed' ? { exp: event.exp, deadline: event.deadline } : undefined,
  );
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
    const body = (await response.json().catch(() => ({}))) as {
      expiresAt?: unknown;
      expiresIn?: unknown;
    };
    const exp = typeof body.expiresAt === 'number' ? body.expiresAt : 0;
    const seconds = typeof body.expiresIn === 'number' ? body.expiresIn : 0;
    return { status: 'refreshed', exp, deadline: Date.now() + seconds * 1_000 };
  }
  if (response.status === 401) return { status: 'ended' };
  const retryAfter = Number(response.headers.get('retry-after'));
  return { status: 'unavailable', retryAfterSeconds: retryAfter > 0 ? retryAfter : undefined };
}

/**
 * Runs `run` while holding the cross-tab lock. `waited` says the lock was busy: most likely
 * another tab was refreshing, and its news (localStorage, BroadcastChannel) reaches this
 * process asynchronously, so `run` gives it a moment before deciding. The pause is taken by the
 * tab that wants to refresh, never by the one holding the lock: a throttled background tab must
 * not keep the others waiting.
 */
async function exclusive<T>(run: (waited: boolean) => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    const now = await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) =>
      lock ? { value: await run(false) } : undefined,
    );
    if (now) return now.value;
    return navigator.locks.request(LOCK_NAME, () => run(true));
  }
  await sleep(Math.random() * FALLBACK_PAUSE_MS);
  return run(false);
}

/**
 * Refreshes the session unless another tab already replaced the token this tab knew as
 * `seenExp`. One call at a time per tab; one tab at a time per browser.
 */
export function refreshAcrossTabs(seenExp = knownToken().exp): Promise<RefreshOutcome> {
  inTab ??= exclusive(async (waited): Promise<RefreshOutcome> => {
    if (waited) await sleep(SETTLE_MS);
    const latest = knownToken();
    if (latest.exp > seenExp && latest.deadline > Date.now()) {
      return { status: 'refreshed', ...latest };
    }
    const outcome = await post();
    if (outcome.status === 'refreshed') {
      announce({ type: 'refreshed', exp: outcome.exp, deadline: outcome.deadline });
    }
    if (outcome.status === 'ended') announce({ type: 'ended' });
    return outcome;
  })
    .catch((): RefreshOutcome => ({ status: 'unavailable' }))
    .finally(() => {
      inTab = undefined;
    });
  return inTab;
}

/** Where a tab goes when its session has ended: the "your session ended" page. */
export function sessionEndedUrl() {
  const here = window.location.pathname + window.location.search;
  return authErrorPath('session_ended', { returnTo: here });
}
