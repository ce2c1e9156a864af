import 'server-only';
import { hash, randomBytes } from 'node:crypto';

/**
 * Signed-out sessions, as this process knows them. Every app session has an id (`sid`), minted
 * at sign-in and sealed into each of its cookies; refreshes carry it over. Sign-out records the
 * id as denied until the session's absolute expiry, so a copy of any of its cookies (the refresh
 * cookie above all) is refused afterwards. The shared record lives in the refresh store
 * (lib/server/refresh/tokens.ts `revokeSession`, through Redis when configured); this process-local set is what
 * the hot path (getSession) can afford to ask on every request: a Map lookup.
 */

// Security: an id of our own, never the IdP's `sid`. The IdP session can outlive ours (its logout
// failed or was skipped), and denying its sid would refuse the user's next sign-in too.
export const newSessionId = () => randomBytes(18).toString('base64url');

/** Store keys are a hash of the id: the id itself stays inside sealed cookies. */
export const sessionIdKey = (sid: string) => hash('sha256', sid, 'base64url');

/** Bounded; past it the records closest to expiry go first. */
const MAX_LOCAL = 50_000;
const local = new Map<string, number>();

export function rememberRevoked(sid: string, untilMs: number): void {
  if (untilMs <= Date.now()) return;
  const key = sessionIdKey(sid);
  local.delete(key);
  local.set(key, untilMs);
  if (local.size > MAX_LOCAL) {
    const now = Date.now();
    for (const [k, until] of local) if (until <= now) local.delete(k);
    while (local.size > MAX_LOCAL) {
      let soonest: string | undefined;
      let soonestUntil = Infinity;
      for (const [k, until] of local) {
        if (until < soonestUntil) [soonest, soonestUntil] = [k, until];
      }
      if (soonest === undefined) break;
      local.delete(soonest);
    }
  }
}

/** Whether this process has seen the session signed out. */
export function revokedHere(sid: string | undefined): boolean {
  if (!sid || local.size === 0) return false;
  const key = sessionIdKey(sid);
  const until = local.get(key);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  local.delete(key);
  return false;
}

/** Tests only. */
export function forgetRevocationsForTests(): void {
  local.clear();
}
