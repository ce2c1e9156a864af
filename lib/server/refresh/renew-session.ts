import 'server-only';
import type { NextResponse } from 'next/server';
import { nowSeconds, type CookieReader } from '@/lib/server/cookies';
import { AuthError, isAuthError } from '@/lib/auth/outcomes';
import { authEvent, sealedSubject } from '@/lib/server/analytics/analytics';
import type { AppOrigin } from '@/lib/server/http';
import { isSessionRevoked, refreshTokens } from './tokens';
import {
  openAccessCookie,
  openRefreshCookie,
  readSessionCookies,
  writeSessionCookies,
} from '@/lib/server/session/session';
import { verifyAccessToken } from '@/lib/server/tokens';

/**
 * Renews the session held in the request's cookies. Returns a writer for the rotated cookies;
 * the session keeps its original absolute expiry and profile.
 */
export async function renewSession(app: AppOrigin, cookies: CookieReader) {
  const sealed = readSessionCookies(cookies, app);
  const sealedAccess = await openAccessCookie(sealed.access);
  const userId = sealedSubject(sealedAccess?.at);
  try {
    const renewed = await renew(app, cookies, sealed, sealedAccess);
    authEvent(userId, 'session_refreshed', {});
    return renewed;
  } catch (error) {
    const code = isAuthError(error) ? error.code : 'idp_unavailable';
    if (code === 'idp_unavailable') authEvent(userId, 'idp_unavailable', { stage: 'refresh' });
    else authEvent(userId, 'session_ended', { reason: code });
    throw error;
  }
}

async function renew(
  app: AppOrigin,
  cookies: CookieReader,
  sealed: ReturnType<typeof readSessionCookies>,
  sealedAccess: Awaited<ReturnType<typeof openAccessCookie>>,
) {
  const sealedRefresh = await openRefreshCookie(sealed.refresh);
  if (!sealedRefresh || typeof sealedRefresh.rt !== 'string') {
    throw new AuthError('refresh_token_missing');
  }
  // Security: a refresh cookie that no sign-out could reach (written before sessions had ids)
  // is refused too, so every live refresh cookie is one that sign-out can deny.
  const sid = sealedRefresh.sid;
  if (typeof sid !== 'string' || (await isSessionRevoked(sid, sealedRefresh.exp))) {
    throw new AuthError('refresh_token_invalid', 'the session was signed out');
  }
  const tokens = await refreshTokens(sealedRefresh.rt);
  return {
    expiresAt: tokens.expiresAt,
    /** Seconds the new access token has left, by this server's clock (browsers' clocks drift). */
    expiresIn: Math.max(0, tokens.expiresAt - nowSeconds()),
    /**
     * Whether a page would accept the new access token right now. False only when the IdP's keys
     * cannot be fetched: the tokens are kept, but sending the browser back to the page would
     * bounce it straight back here.
     */
    usable: async () => (await verifyAccessToken(tokens.accessToken)).ok,
    write: (response: NextResponse) =>
      writeSessionCookies(response, app, cookies, {
        tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
        profile: sealedAccess?.u ?? {},
        sessionExpiresAt: sealedRefresh.exp,
        sid,
      }),
  };
}
