import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getConfig } from '@/lib/server/config';
import { backgroundRefreshFor } from './background-refresh';
import type { AuthenticatedSession } from './session';

const NOW_SECONDS = 1_900_000_000;

function signedIn(expiresAt: number): AuthenticatedSession {
  return {
    status: 'authenticated',
    expiresAt,
    user: { id: 'usr_1', roles: [], permissions: [] },
    claims: { sub: 'usr_1', exp: expiresAt },
  } as unknown as AuthenticatedSession;
}

describe('backgroundRefreshFor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW_SECONDS * 1000 + 400);
  });
  afterEach(() => vi.useRealTimers());

  it('gives a signed-out visitor no refresher', () => {
    expect(backgroundRefreshFor({ status: 'unauthenticated' })).toBeUndefined();
  });

  it("measures the time left on the server's clock, with the idle window from the config", () => {
    expect(backgroundRefreshFor(signedIn(NOW_SECONDS + 300))).toEqual({
      expiresAt: NOW_SECONDS + 300,
      msLeft: 300_000,
      idleMs: getConfig().session.idleTimeoutSeconds * 1000,
    });
  });

  it('renews an expired access token at once', () => {
    expect(backgroundRefreshFor({ status: 'expired' })).toMatchObject({ expiresAt: 0, msLeft: 0 });
  });

  it('never hands the tab a negative wait for a token that expired since it was checked', () => {
    expect(backgroundRefreshFor(signedIn(NOW_SECONDS - 2))?.msLeft).toBe(0);
  });
});
