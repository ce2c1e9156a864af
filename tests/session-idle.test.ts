// The browser's idle deadline (lib/client/activity.ts) against the server's idle check on the
// sealed cookies (lib/server/session/session.ts): a tab must never show "session ended" while the server would
// still renew the session, or the notice page's own load renews it (seen in e2e/idle-timeout).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleDeadline } from '@/lib/client/activity';
import { REFRESH_TOKEN_COOKIE } from '@/lib/auth/paths';
import { seal } from '@/lib/server/cookies';
import { getConfig } from '@/lib/server/config';
import { openRefreshCookie } from '@/lib/server/session/session';

afterEach(() => {
  vi.useRealTimers();
});

describe('idle deadline: browser and server agree', () => {
  // Renewals land anywhere within a second; the server's clock counts whole seconds.
  it.each([0, 1, 499, 500, 999])(
    'renewed %i ms into a second: refused by the server at the tab’s deadline',
    async (msIntoSecond) => {
      const idleMs = getConfig().session.idleTimeoutSeconds * 1000;
      const renewedAt = Date.UTC(2026, 10, 30, 3, 0, 0) + msIntoSecond;
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(renewedAt);
      const cookie = await seal(
        REFRESH_TOKEN_COOKIE,
        { rt: 'rt_x', sid: 'sid_x' },
        { expiresAt: Math.floor(renewedAt / 1000) + 7 * 24 * 3600 },
      );

      // The naive deadline (renewedAt + idle) is still inside the server's window: ending there
      // would be too early, which is what the slack is for.
      vi.setSystemTime(renewedAt + idleMs);
      expect(await openRefreshCookie(cookie)).not.toBeNull();

      vi.setSystemTime(idleDeadline(renewedAt, idleMs));
      expect(await openRefreshCookie(cookie)).toBeNull();
    },
  );
});
