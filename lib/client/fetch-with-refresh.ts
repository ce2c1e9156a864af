import { knownToken, refreshAcrossTabs } from './session-refresh';

/**
 * `fetch` for this app's own API routes from the browser: when a request comes back 401 (the
 * access token expired between two timer refreshes, say after a laptop slept), refresh once and
 * send it again. Only once: a second 401 is a real answer, and looping on it would hammer both
 * the API and the IdP.
 *
 * The body must be sendable twice (a string, FormData, URLSearchParams, a Blob); a stream is
 * spent by the first attempt. When the session has ended, the retry is skipped, the 401 is
 * returned, and the background refresher (lib/client/background-refresh.ts) takes the tab to the "session ended" page.
 */
export async function fetchWithRefresh(input: RequestInfo | URL, init?: RequestInit) {
  const seen = knownToken().exp;
  const again = input instanceof Request ? input.clone() : input;
  const response = await fetch(input, { credentials: 'same-origin', ...init });
  if (response.status !== 401) return response;
  const outcome = await refreshAcrossTabs(seen);
  if (outcome.status !== 'refreshed') return response;
  return fetch(again, { credentials: 'same-origin', ...init });
}
