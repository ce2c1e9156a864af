/**
 * When the browser refreshes the session. Pure functions, shared by the refresher, the e2e specs
 * and the load script's expectations.
 */

/** Refresh this long before the access token expires. */
export const REFRESH_LEAD_MS = 60_000;

/**
 * Milliseconds from now until the refresh should run, for a token with `msLeft` to live.
 * Normally 60 s before expiry. A token that lives under two minutes (short TTLs in tests, or a
 * strict IdP setting) refreshes at half its remaining life instead, which leaves the other half
 * for retries, rather than at once and forever.
 */
export function refreshDelay(msLeft: number): number {
  return Math.max(0, msLeft - REFRESH_LEAD_MS, msLeft / 2);
}

/**
 * Back-off after an outage (503, network error): the server's Retry-After first, then doubling,
 * at most a minute, with jitter so many tabs and users do not come back in step.
 */
export function retryDelay(attempt: number, retryAfterSeconds?: number, random = Math.random) {
  const base = Math.max(1_000, (retryAfterSeconds ?? 0) * 1_000);
  const capped = Math.min(60_000, base * 2 ** Math.max(0, attempt));
  return Math.round(capped * (0.8 + 0.4 * random()));
}
