import 'server-only';
import { cookieNames } from '@/lib/auth/paths';
import type { CookieReader } from '@/lib/server/cookies';
import { attemptIdOf, MAX_PARALLEL_LOGINS } from './start';
import type { AppOrigin } from '@/lib/server/http/origin';

/**
 * Bounds the open sign-in attempts. Each attempt's state cookie lives on path /api/callback, so
 * /login never sees them and cannot count them; a page that loops a browser through /login
 * would plant one per pass until the callback's Cookie header is too large to be served (431)
 * and the user cannot sign in. So /login keeps its own small index cookie, on path /login,
 * listing the attempts it opened (by the hash part of their names, oldest first). Past
 * MAX_PARALLEL_LOGINS it expires the oldest by name, a Set-Cookie on /api/callback that needs
 * no knowledge of the cookie's value.
 *
 * The index is not sealed: it names only which of our own attempt cookies to expire, and a
 * tampered entry can at worst expire one of them (or none). Entries that do not look like ours
 * are dropped. Attempts finished by the callback stay listed until they are the oldest; expiring
 * a cookie that is already gone is harmless.
 */
export type AttemptPlan = {
  /** State cookies (on /api/callback) to expire now. */
  expire: string[];
  /** The index cookie's new value. */
  index: string;
};

const ID = /^[\w-]{16}$/;
const SEPARATOR = '.';

export function planAttempts(
  app: Pick<AppOrigin, 'secure'>,
  existing: CookieReader,
  newCookieName: string,
): AttemptPlan {
  const names = cookieNames(app.secure);
  const newId = attemptIdOf(newCookieName, app);
  if (!newId) throw new Error('not a state cookie name');
  const raw = existing.getAll().find((c) => c.name === names.loginAttempts)?.value ?? '';
  const parsed: string[] = [];
  // Bounded parse: a huge or hostile value is read only as far as it could be ours.
  for (const id of raw.slice(0, 17 * MAX_PARALLEL_LOGINS * 2).split(SEPARATOR)) {
    if (ID.test(id) && id !== newId && !parsed.includes(id)) parsed.push(id);
  }
  // We never write more than MAX_PARALLEL_LOGINS entries, so more is not our index: keep the
  // newest, and one /login expires at most one attempt.
  const listed = parsed.slice(-MAX_PARALLEL_LOGINS);
  listed.push(newId);
  const dropped = listed.splice(0, Math.max(0, listed.length - MAX_PARALLEL_LOGINS));
  return {
    expire: dropped.map((id) => `${names.state}_${id}`),
    index: listed.join(SEPARATOR),
  };
}
