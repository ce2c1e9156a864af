import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ACCESS_TOKEN_COOKIE } from '@/lib/auth/paths';
import { seal } from '@/lib/server/cookies';
import { openAccessCookie, sessionFromCookie } from '@/lib/server/session/session';
import { clearSessionMemo, sessionMemoSize } from '@/lib/server/testing';
import { signInThroughRoutes, USERS } from '@/tests/helpers/routes';

/** The session memo's cap (lib/server/session/session.ts MAX_ENTRIES). */
export const MEMO_SESSIONS = 10_000;

export type MemoryFigures = {
  sessions: number;
  memoEntries: number;
  /** V8 heap the full memo holds: heap (after a full GC) with it full, minus with it emptied. */
  heapBytes: number;
  /** The process's resident set with the memo full (this bench process, Vitest included). */
  rssBytes: number;
};

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * What the session memo costs when full: MEMO_SESSIONS distinct sessions (one real access token,
 * each sealed with its own session id, so each is a cookie the memo has never seen) checked once
 * each through the cold path, which memoizes every one.
 */
export async function measureMemoMemory(log: (line: string) => void): Promise<MemoryFigures> {
  const { session } = await signInThroughRoutes(USERS.alice);
  const opened = await openAccessCookie(session.sk_access_token);
  if (!opened) throw new Error('could not open the session cookie just issued');
  const cookies = await Promise.all(
    Array.from({ length: MEMO_SESSIONS }, (_, i) =>
      seal(
        ACCESS_TOKEN_COOKIE,
        { at: opened.at, u: opened.u, sid: `${opened.sid}.${i}` },
        { expiresAt: opened.exp },
      ),
    ),
  );
  clearSessionMemo();
  for (const cookie of cookies) {
    const checked = await sessionFromCookie(cookie);
    if (checked.status !== 'authenticated') throw new Error('a bench session did not open');
  }
  const memoEntries = sessionMemoSize();
  collectGarbage();
  const full = process.memoryUsage();
  clearSessionMemo();
  collectGarbage();
  const empty = process.memoryUsage();
  log(`memo of ${memoEntries} sessions: ${full.heapUsed - empty.heapUsed} bytes of heap`);
  return {
    sessions: MEMO_SESSIONS,
    memoEntries,
    heapBytes: full.heapUsed - empty.heapUsed,
    rssBytes: full.rss,
  };
}
