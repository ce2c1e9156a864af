import 'server-only';
import type { NextResponse } from 'next/server';
import { AuthError } from './errors';
import { refreshTokens } from './refresh';
import { openAccessCookie, openRefreshCookie, writeSessionCookies } from './session';

/**
 * Renews the session held in the request's cookies. Returns a writer for the rotated cookies;
 * the session keeps its original absolute expiry and profile.
 */
export async function refreshSession(
  refreshCookie: string | undefined,
  accessCookie: string | undefined,
) {
  const sealedRefresh = await openRefreshCookie(refreshCookie);
  if (!sealedRefresh || typeof sealedRefresh.rt !== 'string') {
    throw new AuthError('refresh_token_missing');
  }
  const sealedAccess = await openAccessCookie(accessCookie);
  const tokens = await refreshTokens(sealedRefresh.rt);
  return {
    expiresAt: tokens.expiresAt,
    write: (response: NextResponse) =>
      writeSessionCookies(
        response,
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
        sealedAccess?.u ?? {},
        sealedRefresh.exp,
      ),
  };
}
