import 'server-only';
import type { NextRequest } from 'next/server';
import type { AccessTokenResponseBody } from '@/lib/client/access-token';
import { nowSeconds } from './cookies';
import { idpUnavailableJson, isSameSiteRequest, jsonNoStore, type AppOrigin } from './http';
import {
  idpSessionRevokedHere,
  openAccessCookie,
  readSessionCookies,
  revokedHere,
} from '@/lib/server/session/session';
import { verifyAccessToken } from './tokens';

/**
 * GET /api/access-token: hands this app's own pages the user's access token, so the browser can
 * call a separate backend with `Authorization: Bearer …`. The backend verifies it against the
 * IdP's JWKS (examples/api-server); the session cookies themselves never leave this app.
 */
export async function accessTokenResponse(request: NextRequest, app: AppOrigin) {
  // Security: only this app's pages may read the token. Cross-site (and sibling-origin) requests
  // are refused even though SameSite=Lax and CORS would already keep the answer from them.
  if (!isSameSiteRequest(request, app)) {
    return jsonNoStore({ error: 'cross_site_request' }, { status: 403 });
  }
  const sealed = await openAccessCookie(readSessionCookies(request.cookies, app).access);
  if (!sealed || typeof sealed.at !== 'string' || revokedHere(sealed.sid)) {
    return jsonNoStore({ error: 'unauthenticated' }, { status: 401 });
  }
  // Verified before it is handed out: a token this app would not accept is not passed on.
  const result = await verifyAccessToken(sealed.at);
  if (!result.ok) {
    if (result.reason === 'expired') {
      // The client renews through POST /api/refresh (which holds the refresh cookie) and retries.
      return jsonNoStore({ error: 'access_token_expired' }, { status: 401 });
    }
    if (result.reason === 'unavailable') return idpUnavailableJson();
    return jsonNoStore({ error: 'unauthenticated' }, { status: 401 });
  }
  // Security: a session revoked elsewhere (another device, the Scalekit dashboard) is known here
  // by the IdP's session id only; its token must not be handed out either.
  if (idpSessionRevokedHere(result.claims.sid)) {
    return jsonNoStore({ error: 'unauthenticated' }, { status: 401 });
  }
  const expiresAt = result.claims.exp;
  const body: AccessTokenResponseBody = {
    accessToken: sealed.at,
    expiresAt,
    expiresIn: Math.max(0, expiresAt - nowSeconds()),
  };
  return jsonNoStore(body);
}
