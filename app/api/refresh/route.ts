import { NextResponse, type NextRequest } from 'next/server';
import { isAuthError } from '@/lib/auth/outcomes';
import { AUTH_PATHS, authErrorPath, safeReturnTo } from '@/lib/auth/paths';
import {
  appUrl,
  idpUnavailableJson,
  isPrefetch,
  isSameSiteRequest,
  jsonNoStore,
  noStore,
  redirectTo,
  withAppOrigin,
  type AppOrigin,
} from '@/lib/server/http';
import { renewSession } from '@/lib/server/refresh/renew-session';
import { clearSessionCookies } from '@/lib/server/session/session';
import { trackInFlight } from '@/lib/server/shutdown';

function failureCode(error: unknown) {
  return isAuthError(error) ? error.code : 'idp_unavailable';
}

/**
 * POST /api/refresh: client-driven rotation (lib/client/background-refresh.ts).
 * 200 `{ ok, expiresAt, expiresIn }`, 401 `{ error: 'session_ended', code }` (cookies cleared),
 * 503 with Retry-After when the IdP could not answer (cookies untouched).
 */
// Both handlers run as tracked work: a SIGTERM waits for them (lib/server/shutdown.ts), since a
// refresh cut off after the IdP rotated the token would leave the browser with a spent one.
export const POST = withAppOrigin((request, app) => trackInFlight(() => refreshJson(request, app)));
export const GET = withAppOrigin((request, app) =>
  trackInFlight(() => refreshAndReturn(request, app)),
);

async function refreshJson(request: NextRequest, app: AppOrigin) {
  if (!isSameSiteRequest(request, app)) {
    return jsonNoStore({ error: 'cross_site_request' }, { status: 403 });
  }
  try {
    const { write, expiresAt, expiresIn } = await renewSession(app, request.cookies);
    const response = jsonNoStore({ ok: true, expiresAt, expiresIn });
    await write(response);
    return response;
  } catch (error) {
    const code = failureCode(error);
    console.warn(`[auth] refresh failed: ${code}`);
    if (code === 'idp_unavailable') {
      // An outage must not log anyone out: cookies stay as they are.
      return idpUnavailableJson();
    }
    const response = jsonNoStore({ error: 'session_ended', code }, { status: 401 });
    clearSessionCookies(response, app, request.cookies);
    return response;
  }
}

/**
 * GET /api/refresh?returnTo=/path: navigation-driven rotation for Server Components, which cannot
 * set cookies themselves (requireSession() sends expired sessions here). It ends either back on
 * `returnTo` with a session the page will accept, or on /auth/error with a reason; /auth/error
 * never redirects by itself, so there is no loop.
 */
async function refreshAndReturn(request: NextRequest, app: AppOrigin) {
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'));
  // A prefetch's Set-Cookie may be thrown away with it, and the old token would then be spent.
  if (isPrefetch(request)) return noStore(new NextResponse(null, { status: 204 }));
  // Security: a cross-site request must not be able to spend the user's refresh token.
  if (!isSameSiteRequest(request, app)) {
    // But following a link from another site to a page whose access token has expired lands
    // here cross-site too (Sec-Fetch-Site describes the whole redirect chain). Refusing that
    // would sign people out for clicking a link; /auth/continue asks again from this origin.
    // `continued` marks the second ask, so a browser that still says cross-site stops here.
    if (isDocumentNavigation(request) && !request.nextUrl.searchParams.has('continued')) {
      const query = `returnTo=${encodeURIComponent(returnTo)}`;
      return redirectTo(appUrl(app, `${AUTH_PATHS.continue}?${query}`));
    }
    return redirectTo(appUrl(app, authErrorPath('cross_site_request')));
  }
  const unavailable = appUrl(app, authErrorPath('idp_unavailable', { returnTo }));
  try {
    const { write, usable } = await renewSession(app, request.cookies);
    // The keys to verify the new token are unreachable: the page would bounce straight back.
    const response = redirectTo((await usable()) ? appUrl(app, returnTo) : unavailable);
    await write(response);
    return response;
  } catch (error) {
    const code = failureCode(error);
    console.warn(`[auth] refresh failed: ${code}`);
    if (code === 'idp_unavailable') return redirectTo(unavailable);
    const response = redirectTo(appUrl(app, authErrorPath('session_ended', { returnTo })));
    clearSessionCookies(response, app, request.cookies);
    return response;
  }
}

function isDocumentNavigation(request: NextRequest) {
  const h = request.headers;
  return h.get('sec-fetch-mode') === 'navigate' && h.get('sec-fetch-dest') === 'document';
}
