import 'server-only';
import { isAuthError, type AuthCode } from '@/lib/auth/outcomes';
import type { AuthenticatedSession } from '@/lib/server/session/session';
import { sessionRows, type SessionRow } from './describe';
import { listActiveSessions } from './idp-sessions';

/**
 * What /account/sessions shows: the signed-in user's active sessions, this device marked by the
 * verified access token's `sid`, or why they cannot be listed right now (the page says so and
 * the user stays signed in).
 */
export async function sessionsForPage(
  session: AuthenticatedSession,
): Promise<{ rows: SessionRow[]; error?: AuthCode; now: number }> {
  try {
    const sessions = await listActiveSessions(session.user.id);
    const thisDevice = typeof session.claims.sid === 'string' ? session.claims.sid : undefined;
    // `now` is the request's, so every "last active" on the page is relative to one instant.
    return { rows: sessionRows(sessions, thisDevice), now: Date.now() };
  } catch (error) {
    return {
      rows: [],
      error: isAuthError(error) ? error.code : 'idp_unavailable',
      now: Date.now(),
    };
  }
}
