import { isAuthError } from '@/lib/errors';
import { appUrl, isSameSiteRequest, jsonNoStore, redirectTo } from '@/lib/http';
import { safeReturnTo } from '@/lib/redirects';
import { refreshSession } from '@/lib/refresh-session';
import { withAppOrigin } from '@/lib/route-helpers';
import { clearSessionCookies } from '@/lib/session';

const RETRY_AFTER_SECONDS = '5';

function failureCode(error: unknown) {
  return isAuthError(error) ? error.code : 'idp_unavailable';
}

/** POST /api/refresh: client-driven rotation. 200 with the new expiry, 401 ended, 503 outage. */
export const POST = withAppOrigin(async (request, app) => {
  if (!isSameSiteRequest(request, app)) {
    return jsonNoStore({ error: 'cross_site_request' }, { status: 403 });
  }
  try {
    const { write, expiresAt } = await refreshSession(app, request.cookies);
    const response = jsonNoStore({ ok: true, expiresAt });
    await write(response);
    return response;
  } catch (error) {
    const code = failureCode(error);
    console.warn(`[auth] refresh failed: ${code}`);
    if (code === 'idp_unavailable') {
      // An outage must not log anyone out: cookies stay as they are.
      return jsonNoStore(
        { error: code },
        { status: 503, headers: { 'Retry-After': RETRY_AFTER_SECONDS } },
      );
    }
    const response = jsonNoStore({ error: 'session_ended', code }, { status: 401 });
    clearSessionCookies(response, app, request.cookies);
    return response;
  }
});

/**
 * GET /api/refresh?returnTo=/path: navigation-driven rotation for Server Components, which cannot
 * set cookies themselves. Always ends on a page, never in a redirect loop.
 */
export const GET = withAppOrigin(async (request, app) => {
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'));
  // Security: a cross-site link must not be able to spend the user's refresh token.
  if (!isSameSiteRequest(request, app)) {
    return redirectTo(appUrl(app, `/auth/error?code=cross_site_request`));
  }
  try {
    const { write } = await refreshSession(app, request.cookies);
    const response = redirectTo(appUrl(app, returnTo));
    await write(response);
    return response;
  } catch (error) {
    const code = failureCode(error);
    console.warn(`[auth] refresh failed: ${code}`);
    const retry = encodeURIComponent(returnTo);
    if (code === 'idp_unavailable') {
      return redirectTo(appUrl(app, `/auth/error?code=idp_unavailable&returnTo=${retry}`));
    }
    const response = redirectTo(appUrl(app, `/auth/error?code=session_expired&returnTo=${retry}`));
    clearSessionCookies(response, app, request.cookies);
    return response;
  }
});
