import { describe, expect, it } from 'vitest';
import {
  AccessTokenError,
  createAccessTokenClient,
  type RefreshResult,
  type TokenFetchResult,
  type TokenSource,
} from './access-token';

/**
 * A scripted stand-in for the two routes (the real ones are exercised in
 * tests/access-token-route.test.ts): it answers what a test queues and counts every call, and
 * each answer waits for `release()` so tests control when requests are in flight.
 */
function scriptedSource() {
  const fetches: TokenFetchResult[] = [];
  const refreshes: RefreshResult[] = [];
  const calls = { fetchToken: 0, refreshAcrossTabs: 0 };
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const source: TokenSource = {
    async fetchToken() {
      calls.fetchToken++;
      await gate;
      const next = fetches.shift();
      if (!next) throw new Error('unexpected fetchToken()');
      return next;
    },
    async refreshAcrossTabs() {
      calls.refreshAcrossTabs++;
      await gate;
      const next = refreshes.shift();
      if (!next) throw new Error('unexpected refreshAcrossTabs()');
      return next;
    },
  };
  return {
    source,
    calls,
    token: (accessToken: string, expiresIn: number) =>
      fetches.push({ kind: 'ok', accessToken, expiresIn }),
    answer: (result: TokenFetchResult) => fetches.push(result),
    refresh: (result: RefreshResult) => refreshes.push(result),
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open(),
  };
}

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

describe('createAccessTokenClient', () => {
  it('caches the token in memory: a second call makes no request', async () => {
    const s = scriptedSource();
    const c = clock();
    const client = createAccessTokenClient({ source: s.source, now: c.now });
    s.token('tok-1', 300);
    expect(await client.getAccessToken()).toBe('tok-1');
    c.advance(200);
    expect(await client.getAccessToken()).toBe('tok-1');
    expect(s.calls).toEqual({ fetchToken: 1, refreshAcrossTabs: 0 });
  });

  it('asks again once less than a minute is left', async () => {
    const s = scriptedSource();
    const c = clock();
    const client = createAccessTokenClient({ source: s.source, now: c.now });
    s.token('tok-1', 300);
    await client.getAccessToken();
    c.advance(241); // 59 s left
    s.token('tok-2', 300);
    expect(await client.getAccessToken()).toBe('tok-2');
    expect(s.calls.fetchToken).toBe(2);
  });

  it('concurrent calls share one request', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.token('tok-1', 300);
    s.hold();
    const calls = [client.getAccessToken(), client.getAccessToken(), client.getAccessToken()];
    s.release();
    expect(await Promise.all(calls)).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(s.calls.fetchToken).toBe(1);
  });

  it('renews the session when the route reports an expired token, then asks again', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.answer({ kind: 'expired' });
    s.refresh('ok');
    s.token('tok-renewed', 300);
    expect(await client.getAccessToken()).toBe('tok-renewed');
    expect(s.calls).toEqual({ fetchToken: 2, refreshAcrossTabs: 1 });
  });

  it('renews the session when the route hands out a token with under a minute left', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.token('tok-old', 30);
    s.refresh('ok');
    s.token('tok-new', 300);
    expect(await client.getAccessToken()).toBe('tok-new');
    expect(s.calls.refreshAcrossTabs).toBe(1);
  });

  it('concurrent callers during a renewal still cause one refresh', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.answer({ kind: 'expired' });
    s.refresh('ok');
    s.token('tok-renewed', 300);
    s.hold();
    const calls = [client.getAccessToken(), client.getAccessToken()];
    s.release();
    expect(await Promise.all(calls)).toEqual(['tok-renewed', 'tok-renewed']);
    expect(s.calls).toEqual({ fetchToken: 2, refreshAcrossTabs: 1 });
  });

  it('an ended session rejects with session_ended and is not cached', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.answer({ kind: 'expired' });
    s.refresh('ended');
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'session_ended' });
    // The next call tries again instead of replaying the failure.
    s.token('tok-after-sign-in', 300);
    expect(await client.getAccessToken()).toBe('tok-after-sign-in');
  });

  it('signed out rejects with unauthenticated without trying to refresh', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.answer({ kind: 'unauthenticated' });
    const error = await client.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenError);
    expect((error as AccessTokenError).code).toBe('unauthenticated');
    expect(s.calls.refreshAcrossTabs).toBe(0);
  });

  it('during an IdP outage keeps using a token that has not expired yet', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.token('tok-short', 20);
    s.refresh('unavailable');
    expect(await client.getAccessToken()).toBe('tok-short');
  });

  it('during an IdP outage with no usable token rejects with unavailable', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.answer({ kind: 'expired' });
    s.refresh('unavailable');
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('uses the relative lifetime, so a wrong browser clock does not matter', async () => {
    const s = scriptedSource();
    // A browser clock years off: only "seconds left" counts.
    const c = clock(Date.UTC(2001, 0, 1));
    const client = createAccessTokenClient({ source: s.source, now: c.now });
    s.token('tok-1', 300);
    const token = await client.getToken();
    expect(token.expiresAtMs).toBe(c.now() + 300_000);
  });

  it('clear() forgets the token and ignores a request still in flight for the old user', async () => {
    const s = scriptedSource();
    const client = createAccessTokenClient({ source: s.source, now: clock().now });
    s.token('alice-token', 300);
    s.hold();
    const pending = client.getAccessToken();
    client.clear();
    s.release();
    expect(await pending).toBe('alice-token');
    s.token('bob-token', 300);
    expect(await client.getAccessToken()).toBe('bob-token');
  });
});
