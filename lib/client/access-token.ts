/**
 * Browser-side access tokens for calling a separate backend: one in-memory cache per tab,
 * renewed when less than a minute is left, and concurrent callers share one request.
 *
 * Pure logic with its I/O passed in (`TokenSource`), so it is tested without a browser; the
 * default source asks GET /api/access-token and renews through the tab-wide refresher.
 */

import { refreshAcrossTabs as refreshThisBrowser } from './session-refresh';

/** Renew when fewer seconds than this are left, so a token never expires on its way to the API. */
export const MIN_TOKEN_TTL_SECONDS = 60;

export type AccessToken = {
  accessToken: string;
  /** Local clock, milliseconds: when this token stops being usable. */
  expiresAtMs: number;
};

/** What one request for a token can end in. */
export type TokenFetchResult =
  | { kind: 'ok'; accessToken: string; expiresIn: number }
  /** Signed in, but the access token expired: renew the session, then ask again. */
  | { kind: 'expired' }
  | { kind: 'unauthenticated' }
  | { kind: 'unavailable' };

export type RefreshResult = 'ok' | 'ended' | 'unavailable';

export type TokenSource = {
  fetchToken(): Promise<TokenFetchResult>;
  refreshAcrossTabs(): Promise<RefreshResult>;
};

export type AccessTokenErrorCode =
  /** Nobody is signed in. */
  | 'unauthenticated'
  /** The session could not be renewed (revoked or past its lifetime): sign in again. */
  | 'session_ended'
  /** The app or the IdP could not be reached; try again later. */
  | 'unavailable';

export class AccessTokenError extends Error {
  override readonly name = 'AccessTokenError';
  constructor(readonly code: AccessTokenErrorCode) {
    super(`access token unavailable: ${code}`);
  }
}

export type AccessTokenClient = {
  /** A token with at least MIN_TOKEN_TTL_SECONDS left (or the freshest the IdP will give). */
  getAccessToken(): Promise<string>;
  getToken(): Promise<AccessToken>;
  /** Forget the cached token (e.g. when the signed-in user changes). */
  clear(): void;
};

export function createAccessTokenClient({
  source,
  now = Date.now,
  minTtlSeconds = MIN_TOKEN_TTL_SECONDS,
}: {
  source: TokenSource;
  now?: () => number;
  minTtlSeconds?: number;
}): AccessTokenClient {
  let cached: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;
  // Bumped by clear(), so a request started for the previous user cannot refill the cache.
  let generation = 0;

  const fresh = (t: AccessToken) => t.expiresAtMs - now() > minTtlSeconds * 1000;
  const usable = (t: AccessToken) => t.expiresAtMs > now();
  // expiresIn is relative, so a browser clock that is off does not matter.
  const toToken = (r: { accessToken: string; expiresIn: number }): AccessToken => ({
    accessToken: r.accessToken,
    expiresAtMs: now() + r.expiresIn * 1000,
  });

  async function load(): Promise<AccessToken> {
    const first = await source.fetchToken();
    const firstToken = first.kind === 'ok' ? toToken(first) : undefined;
    if (firstToken && fresh(firstToken)) return firstToken;
    if (first.kind === 'unauthenticated') throw new AccessTokenError('unauthenticated');
    if (first.kind === 'unavailable') throw new AccessTokenError('unavailable');

    // Expired, or about to: the access-token route cannot renew it (the refresh token's cookie
    // is scoped to /api/refresh), so renew the session there and ask again.
    const refreshed = await source.refreshAcrossTabs();
    if (refreshed === 'ended') throw new AccessTokenError('session_ended');
    if (refreshed === 'unavailable') {
      // An outage is no reason to drop a token that still works for a few seconds.
      if (firstToken && usable(firstToken)) return firstToken;
      throw new AccessTokenError('unavailable');
    }
    const second = await source.fetchToken();
    if (second.kind === 'ok') return toToken(second);
    if (second.kind === 'unauthenticated' || second.kind === 'expired') {
      throw new AccessTokenError('session_ended');
    }
    throw new AccessTokenError('unavailable');
  }

  function getToken(): Promise<AccessToken> {
    if (cached && fresh(cached)) return Promise.resolve(cached);
    if (!inflight) {
      const started = generation;
      const request = load().then(
        (token) => {
          if (started === generation) cached = token;
          return token;
        },
        (error: unknown) => {
          if (started === generation) cached = undefined;
          throw error;
        },
      );
      inflight = request;
      // Failures are not cached: the next call asks again.
      const settle = () => {
        if (inflight === request) inflight = undefined;
      };
      request.then(settle, settle);
    }
    return inflight;
  }

  return {
    getToken,
    getAccessToken: () => getToken().then((t) => t.accessToken),
    clear() {
      generation++;
      cached = undefined;
      inflight = undefined;
    },
  };
}

/** Body of a 200 from GET /api/access-token. */
export type AccessTokenResponseBody = {
  accessToken: string;
  /** Seconds since the epoch (server clock). */
  expiresAt: number;
  /** Seconds left when the server answered. */
  expiresIn: number;
};

/**
 * Renewal through the tab-wide refresher (lib/client/session-refresh.ts), so it shares the
 * one-tab-at-a-time lock with the refresh timer instead of racing it with a second
 * POST /api/refresh.
 */
async function refreshThroughTabs(): Promise<RefreshResult> {
  const outcome = await refreshThisBrowser();
  return outcome.status === 'refreshed' ? 'ok' : outcome.status;
}

/** The default source: this app's own routes, with the session cookies (same origin only). */
export function routeTokenSource({
  tokenPath = '/api/access-token',
  fetchImpl = (input: string, init?: RequestInit) => fetch(input, init),
}: {
  tokenPath?: string;
  fetchImpl?: (input: string, init?: RequestInit) => Promise<Response>;
} = {}): TokenSource {
  return {
    async fetchToken() {
      let response: Response;
      try {
        response = await fetchImpl(tokenPath, {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
      } catch {
        return { kind: 'unavailable' };
      }
      if (response.ok) {
        const body = (await response.json()) as Partial<AccessTokenResponseBody>;
        if (typeof body.accessToken === 'string' && typeof body.expiresIn === 'number') {
          return { kind: 'ok', accessToken: body.accessToken, expiresIn: body.expiresIn };
        }
        return { kind: 'unavailable' };
      }
      if (response.status === 401) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        return body.error === 'access_token_expired'
          ? { kind: 'expired' }
          : { kind: 'unauthenticated' };
      }
      return { kind: 'unavailable' };
    },
    refreshAcrossTabs: refreshThroughTabs,
  };
}
