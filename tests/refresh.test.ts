// Refresh coordination and outcome classes, through the real route handlers, the real SDK and a
// local IdP of this file's own (its counters and faults are not shared with other test files,
// which run in parallel against the global one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { GET as refreshGET, POST as refreshPOST } from '@/app/api/refresh/route';
import { getScalekit } from '@/lib/server/scalekit';
import { openRefreshCookie, sessionFromCookie } from '@/lib/server/session/session';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { appUrl, request, setCookies, signInThroughRoutes, USERS } from './helpers/routes';
import { resetConfig, resetScalekit } from '@/lib/server/testing';

let idp: LocalIdp;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-refresh-'));
  idp = await startLocalIdp({
    port: 0,
    dataDir,
    appUrl: appUrl(),
    clientId: 'skc_refresh_tests',
    clientSecret: 'refresh_tests_client_secret_not_real',
    persist: false,
    log: false,
  });
  process.env.SCALEKIT_ENV_URL = idp.url;
  process.env.SCALEKIT_CLIENT_ID = idp.clientId;
  process.env.SCALEKIT_CLIENT_SECRET = idp.clientSecret;
  resetConfig();
  resetScalekit();
});

afterAll(async () => {
  await idp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  idp.setFault('none');
  idp.setAccessTokenTtl(300);
  vi.useRealTimers();
});

type Session = Awaited<ReturnType<typeof signInThroughRoutes>>['session'];

const post = (cookies: Session) =>
  refreshPOST(request('/api/refresh', { method: 'POST', cookies }));
const get = (cookies: Session, returnTo = '/dashboard', headers: Record<string, string> = {}) =>
  refreshGET(
    request(`/api/refresh?returnTo=${encodeURIComponent(returnTo)}`, { cookies, headers }),
  );

/** The session a browser would hold after a response's Set-Cookie headers. */
function after(response: Response, before: Session): Session {
  const set = setCookies(response);
  return {
    sk_access_token: set.sk_access_token?.value ?? before.sk_access_token,
    sk_id_token: set.sk_id_token?.value ?? before.sk_id_token,
    sk_refresh_token: set.sk_refresh_token?.value ?? before.sk_refresh_token,
  };
}

const refreshTokenOf = async (session: Session) =>
  (await openRefreshCookie(session.sk_refresh_token))!.rt;

/** Counts the token-endpoint refresh calls made while `run` runs. */
async function countRefreshCalls<T>(run: () => Promise<T>) {
  const before = idp.stats.refreshRequests;
  const result = await run();
  return { result, calls: idp.stats.refreshRequests - before };
}

describe('server single-flight', () => {
  it('50 parallel requests with one expired session: 1 token call, 50 successes, session valid after', async () => {
    idp.setAccessTokenTtl(1);
    const { session } = await signInThroughRoutes(USERS.alice);
    // Past the token's expiry plus the 5 s clock tolerance of lib/server/tokens.ts.
    await vi.waitUntil(
      async () => (await sessionFromCookie(session.sk_access_token)).status === 'expired',
      {
        timeout: 10_000,
        interval: 250,
      },
    );
    idp.setAccessTokenTtl(300);

    const { result: responses, calls } = await countRefreshCalls(() =>
      Promise.all(Array.from({ length: 50 }, () => post(session))),
    );
    expect(calls).toBe(1);
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    // Every response carries the same rotated refresh token (sealed differently each time).
    const rotated = new Set(
      await Promise.all(responses.map((r) => refreshTokenOf(after(r, session)))),
    );
    expect(rotated.size).toBe(1);
    expect(rotated.has(await refreshTokenOf(session))).toBe(false);

    const renewed = after(responses[0]!, session);
    const current = await sessionFromCookie(renewed.sk_access_token);
    expect(current.status === 'authenticated' && current.user.email).toBe('alice@example.com');
    // Had the old token been spent twice, the IdP would have revoked the family by now.
    const { result: next, calls: nextCalls } = await countRefreshCalls(() => post(renewed));
    expect(next.status).toBe(200);
    expect(nextCalls).toBe(1);
  });

  it('GET and POST racing with the same token share one exchange', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const { result, calls } = await countRefreshCalls(() =>
      Promise.all([post(session), get(session), post(session), get(session, '/')]),
    );
    expect(calls).toBe(1);
    expect(result.map((r) => r.status)).toEqual([200, 303, 200, 303]);
    expect(result[1]!.headers.get('location')).toBe(`${appUrl()}/dashboard`);
    expect(result[3]!.headers.get('location')).toBe(`${appUrl()}/`);
  });

  it('a late request still carrying the old token gets the new tokens, without spending it again', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const first = await post(session);
    expect(first.status).toBe(200);
    // A tab whose request left before the Set-Cookie above arrived.
    const { result: late, calls } = await countRefreshCalls(() => post(session));
    expect(calls).toBe(0);
    expect(late.status).toBe(200);
    expect(await refreshTokenOf(after(late, session))).toBe(
      await refreshTokenOf(after(first, session)),
    );
  });

  it('during an outage, parallel requests share one failed attempt, and the next one really retries', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    idp.setFault('503');
    const { result, calls } = await countRefreshCalls(() =>
      Promise.all(Array.from({ length: 20 }, () => post(session))),
    );
    expect(calls).toBe(1);
    expect(result.map((r) => r.status)).toEqual(Array(20).fill(503));
    idp.setFault('none');
    // The failure was not kept: the same token works at once.
    const { result: ok, calls: retried } = await countRefreshCalls(() => post(session));
    expect(retried).toBe(1);
    expect(ok.status).toBe(200);
  });
});

describe('replayed refresh tokens (what rotation exists to catch)', () => {
  it('an attacker spending an old, already rotated token ends the session cleanly for everyone', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const stolen = await refreshTokenOf(session);
    const renewed = after(await post(session), session);
    // The attacker replays the stolen token at the IdP directly: reuse, so the IdP revokes the
    // whole family, the user's current token included.
    await expect(getScalekit().refreshAccessToken(stolen)).rejects.toThrow(/status code 400/);

    const response = await post(renewed);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'session_ended',
      code: 'refresh_token_invalid',
    });
    for (const name of ['sk_access_token', 'sk_id_token', 'sk_refresh_token']) {
      expect(setCookies(response)[name]!.attributes['max-age'], name).toBe('0');
    }
    const page = await get(renewed);
    const location = new URL(page.headers.get('location')!);
    expect(location.pathname).toBe('/auth/error');
    expect(location.searchParams.get('code')).toBe('session_ended');
    expect(page.headers.get('location')).not.toMatch(/token|secret/i);
  });

  it('the old cookie replayed to this app after the grace period ends the session, not a 5xx', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const renewed = after(await post(session), session);
    // Only Date moves: the store's grace period is measured with it, the IdP is unaffected.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 11_000);
    const replay = await post(session);
    expect(replay.status).toBe(401);
    vi.useRealTimers();
    // The IdP saw the reuse and revoked the family: the user's session is over as well.
    expect((await post(renewed)).status).toBe(401);
  });
});

describe('outcome classes', () => {
  it.each(['503', 'drop'] as const)(
    'IdP %s: POST 503 with Retry-After, GET "unavailable" page, cookies untouched, same token works after',
    async (fault) => {
      const { session } = await signInThroughRoutes(USERS.alice);
      idp.setFault(fault);
      const response = await post(session);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toEqual({ error: 'idp_unavailable' });
      expect(response.headers.getSetCookie()).toEqual([]);
      const page = await get(session, '/dashboard?tab=1');
      expect(page.headers.get('location')).toBe(
        `${appUrl()}/auth/error?code=idp_unavailable&returnTo=${encodeURIComponent('/dashboard?tab=1')}`,
      );
      expect(page.headers.getSetCookie()).toEqual([]);
      idp.setFault('none');
      expect((await post(session)).status).toBe(200);
    },
  );

  it('IdP hangs: 503 within the 5 s wait, not the SDK timeout; the session survives', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    idp.setFault('hang');
    const started = Date.now();
    const response = await post(session);
    const waited = Date.now() - started;
    expect(response.status).toBe(503);
    expect(waited).toBeGreaterThanOrEqual(4_500);
    expect(waited).toBeLessThan(7_000);
    expect(response.headers.getSetCookie()).toEqual([]);
    idp.setFault('none');
    // The hung exchange keeps its lock until the SDK gives up on it (10 s), so no second
    // request can spend the same token meanwhile; then the same token refreshes fine.
    let status = 0;
    await vi.waitUntil(
      async () => {
        status = (await post(session)).status;
        return status !== 503;
      },
      { timeout: 20_000, interval: 500 },
    );
    expect(status).toBe(200);
  }, 30_000);

  it('a refresh token the IdP rejects: POST 401 and cleared cookies, GET "session ended" page once', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    await getScalekit().refreshAccessToken(await refreshTokenOf(session));
    const page = await get(session, '/dashboard');
    expect(page.status).toBe(303);
    const location = new URL(page.headers.get('location')!);
    expect(location.pathname).toBe('/auth/error');
    expect(location.searchParams.get('code')).toBe('session_ended');
    expect(setCookies(page).sk_refresh_token!.attributes['max-age']).toBe('0');
  });
});

describe('one meaning per code', () => {
  it('an expired access token is `access_token_expired` (renewable), never `session_ended`', async () => {
    idp.setAccessTokenTtl(1);
    const { session } = await signInThroughRoutes(USERS.alice);
    await vi.waitUntil(
      async () => (await sessionFromCookie(session.sk_access_token)).status === 'expired',
      { timeout: 10_000, interval: 250 },
    );
    idp.setAccessTokenTtl(300);
    const token = await accessTokenGET(
      request('/api/access-token', { cookies: { sk_access_token: session.sk_access_token } }),
    );
    expect(token.status).toBe(401);
    expect(await token.json()).toEqual({ error: 'access_token_expired' });
    // And it is renewable: the refresh that code asks for succeeds.
    expect((await post(session)).status).toBe(200);
  });
});

describe('GET /api/refresh guards', () => {
  it('a prefetch spends nothing', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const { result, calls } = await countRefreshCalls(() =>
      get(session, '/dashboard', { 'next-router-prefetch': '1' }),
    );
    expect(calls).toBe(0);
    expect(result.status).toBe(204);
    expect(result.headers.getSetCookie()).toEqual([]);
  });

  it('a cross-site link to an expired page continues through this origin instead of signing out', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const crossSite = {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    };
    const { result, calls } = await countRefreshCalls(() => get(session, '/dashboard', crossSite));
    expect(calls).toBe(0);
    expect(result.headers.get('location')).toBe(`${appUrl()}/auth/continue?returnTo=%2Fdashboard`);
    expect(result.headers.getSetCookie()).toEqual([]);
    // The second ask is marked; if it still arrives cross-site, it stops on a page.
    const again = await refreshGET(
      request('/api/refresh?returnTo=%2Fdashboard&continued=1', {
        cookies: session,
        headers: crossSite,
      }),
    );
    expect(again.headers.get('location')).toBe(`${appUrl()}/auth/error?code=cross_site_request`);
    // A cross-site subresource or fetch is refused outright.
    const fetched = await get(session, '/dashboard', {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-dest': 'image',
    });
    expect(fetched.headers.get('location')).toBe(`${appUrl()}/auth/error?code=cross_site_request`);
    expect(fetched.headers.getSetCookie()).toEqual([]);
  });
});
