import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionFromCookie } from '@/lib/server/session/session';
import { signInThroughRoutes, USERS } from './helpers/routes';
import { flip } from './hostile/helpers';
import { clearSessionMemo, resetConfig, sessionMemoSize } from '@/lib/server/testing';

afterEach(() => {
  vi.useRealTimers();
  clearSessionMemo();
});

describe('verified-session memo', () => {
  it('a warm hit returns the same verified user as the cold path', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    clearSessionMemo();
    const cold = await sessionFromCookie(session.sk_access_token);
    expect(sessionMemoSize()).toBe(1);
    const warm = await sessionFromCookie(session.sk_access_token);
    expect(warm).toEqual(cold);
    expect(warm.status === 'authenticated' && warm.user.email).toBe('alice@example.com');
  });

  it('a tampered copy of a remembered cookie is still no session', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    await sessionFromCookie(session.sk_access_token);
    expect((await sessionFromCookie(flip(session.sk_access_token))).status).toBe('unauthenticated');
  });

  it('failures are never remembered', async () => {
    clearSessionMemo();
    for (let i = 0; i < 20; i++) await sessionFromCookie(`garbage-${i}`);
    const { session } = await signInThroughRoutes(USERS.bob);
    await sessionFromCookie(flip(session.sk_access_token));
    expect(sessionMemoSize()).toBe(0);
  });

  it('a hit does not outlive the access token: past exp the session is "expired"', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const warm = await sessionFromCookie(session.sk_access_token);
    expect(warm.status).toBe('authenticated');
    const exp = warm.status === 'authenticated' ? warm.expiresAt : 0;
    vi.useFakeTimers({ now: (exp + 10) * 1000, toFake: ['Date'] });
    expect((await sessionFromCookie(session.sk_access_token)).status).toBe('expired');
  });

  it('a new configuration (say, a retired cookie secret) empties it', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    await sessionFromCookie(session.sk_access_token);
    const original = process.env.SESSION_COOKIE_SECRET!;
    process.env.SESSION_COOKIE_SECRET = 'a-completely-different-secret-0123456789';
    resetConfig();
    try {
      expect((await sessionFromCookie(session.sk_access_token)).status).toBe('unauthenticated');
    } finally {
      process.env.SESSION_COOKIE_SECRET = original;
      resetConfig();
    }
  });

  it('remembered sessions are frozen, so one request cannot alter another', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const result = await sessionFromCookie(session.sk_access_token);
    expect(result.status).toBe('authenticated');
    if (result.status !== 'authenticated') return;
    expect(() => result.user.roles.push('owner')).toThrow();
  });
});
