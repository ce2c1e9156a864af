import 'server-only';
import { getConfig } from './config';

/**
 * A cheap "is the IdP answering at all?" check before sending a browser there. Without it, an
 * outage shows the user the browser's own connection error instead of a page of ours that says
 * what happened and keeps their place. Results are cached briefly so sign-ins do not each pay a
 * round trip.
 */
const UP_TTL_MS = 30_000;
const DOWN_TTL_MS = 3_000;
const TIMEOUT_MS = 2_000;

let cached: { up: boolean; until: number; url: string } | undefined;

export async function isIdpReachable(): Promise<boolean> {
  const url = `${getConfig().scalekit.envUrl}/keys`;
  const now = Date.now();
  if (cached && cached.url === url && cached.until > now) return cached.up;
  let up: boolean;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      cache: 'no-store',
    });
    await response.body?.cancel();
    up = response.status < 500;
  } catch {
    up = false;
  }
  cached = { up, url, until: now + (up ? UP_TTL_MS : DOWN_TTL_MS) };
  return up;
}

/** Tests only. */
export function resetIdpHealthForTests(): void {
  cached = undefined;
}
