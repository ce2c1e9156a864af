import 'server-only';
import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { authMessage, isAuthError, type AuthCode } from '@/lib/auth/outcomes';
import { AUTH_PATHS, authErrorPath } from '@/lib/auth/paths';
import { setAuthNotice } from '@/lib/server/auth-notice';
import {
  appUrl,
  isPrefetch,
  isSameSiteRequest,
  noStore,
  redirectTo,
  type AppOrigin,
} from '@/lib/server/http';
import { endSession } from '@/lib/server/logout';
import {
  clearSessionCookies,
  sessionFromRequest,
  type AuthenticatedSession,
} from '@/lib/server/session/session';
import { revokeEverySession, revokeOwnSession } from './revoke';
import { readCappedText } from '@/lib/server/capped-body';

/**
 * The account page's two mutations, POSTed by its forms: revoke one session, and "Sign out
 * everywhere". Same rules as /logout: only this site may trigger them (Sec-Fetch-Site, else
 * Origin), never a prefetch, and only for the signed-in user's own sessions.
 */

const FORM_MAX_BYTES = 4 * 1024;

/** A short page for an outcome that is not a redirect: its title and description, as text. */
function outcomePage(code: AuthCode, status: number, headers: Record<string, string> = {}) {
  const { title, description } = authMessage(code);
  return noStore(
    new NextResponse(`${title}\n\n${description}\n`, {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    }),
  );
}

const RETRY_AFTER_SECONDS = '5';

function failure(error: unknown): NextResponse {
  if (isAuthError(error, 'session_not_found')) return outcomePage('session_not_found', 404);
  if (!isAuthError(error, 'idp_unavailable')) {
    // Unexpected: still a clear answer that keeps the session, and a log line without secrets.
    console.error('[auth] session revocation failed unexpectedly', (error as Error)?.name);
  }
  return outcomePage('idp_unavailable', 503, { 'Retry-After': RETRY_AFTER_SECONDS });
}

/**
 * Runs `mutate` for a same-site POST from a signed-in browser. A browser whose access token
 * expired is sent through a refresh back to the page (the form is then pressed again); one
 * without a session goes to sign-in.
 */
async function guarded(
  request: NextRequest,
  app: AppOrigin,
  mutate: (session: AuthenticatedSession) => Promise<NextResponse>,
): Promise<NextResponse> {
  // Security: a revoke changes state, so only this app's own pages may ask for one.
  if (!isSameSiteRequest(request, app) || isPrefetch(request)) {
    return redirectTo(appUrl(app, authErrorPath('cross_site_request')));
  }
  const session = await sessionFromRequest(request);
  const back = encodeURIComponent(AUTH_PATHS.sessions);
  if (session.status === 'expired') {
    return redirectTo(appUrl(app, `${AUTH_PATHS.refresh}?returnTo=${back}`));
  }
  if (session.status !== 'authenticated') {
    return redirectTo(appUrl(app, `${AUTH_PATHS.login}?returnTo=${back}`));
  }
  try {
    return await mutate(session);
  } catch (error) {
    return failure(error);
  }
}

/** Ends this device's app session (its IdP session is already revoked) and goes home. */
async function signedOutHere(request: NextRequest, app: AppOrigin, notice: AuthCode) {
  await endSession(app, request.cookies, { atIdp: false });
  const response = redirectTo(appUrl(app, '/'));
  clearSessionCookies(response, app, request.cookies);
  setAuthNotice(response, app, notice);
  return response;
}

/** The `session_id` field of a urlencoded form, or undefined (oversized, other encodings). */
async function sessionIdField(request: NextRequest): Promise<string | undefined> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  const body = await readCappedText(request, FORM_MAX_BYTES);
  return body === null ? undefined : (new URLSearchParams(body).get('session_id') ?? undefined);
}

/** POST /account/sessions/revoke with `session_id`: one of the user's sessions. */
export function revokeOneFromForm(request: NextRequest, app: AppOrigin) {
  return guarded(request, app, async (session) => {
    const { thisDevice } = await revokeOwnSession(session, await sessionIdField(request));
    if (thisDevice) return signedOutHere(request, app, 'signed_out');
    const response = redirectTo(appUrl(app, AUTH_PATHS.sessions));
    setAuthNotice(response, app, 'session_revoked');
    return response;
  });
}

/** POST /account/sessions/revoke-all: "Sign out everywhere", this device last. */
export function signOutEverywhereFromForm(request: NextRequest, app: AppOrigin) {
  return guarded(request, app, async (session) => {
    await revokeEverySession(session);
    return signedOutHere(request, app, 'signed_out_everywhere');
  });
}
