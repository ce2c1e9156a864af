import 'server-only';
import { isAuthError } from '@/lib/auth/outcomes';
import { getConfig } from '@/lib/server/config';
import { isIdpReachable } from '@/lib/server/scalekit';
import {
  denyLocally,
  idpSessionKey,
  sessionIdKey,
  type AuthenticatedSession,
} from '@/lib/server/session/session';
import { publishRevocation } from './broadcast';
import {
  assertOwnSession,
  isSessionIdShape,
  listActiveSessions,
  revokeAllIdpSessions,
  revokeIdpSession,
} from './idp-sessions';

/**
 * Revocation as the app performs it: at the IdP first (that ends the session's refresh tokens
 * and its hosted-login browser session), then refused by this instance at once and by every
 * other through Redis (broadcast.ts), so a copy of any of its cookies stops working within a
 * second instead of at the next refresh.
 *
 * Security: an IdP session id (`ses_...`) is denied only once the IdP has revoked it. Denying the
 * id of a session the IdP still holds would refuse the user's next sign-in too, since a silent
 * sign-in through that live IdP session gets tokens with the same `sid`.
 */

/** Until when a deny record is kept: no cookie of a session outlives SESSION_MAX_AGE. */
const denyUntil = () => Date.now() + getConfig().session.maxAgeSeconds * 1000;

/**
 * Refuses every cookie of these sessions, here and on every instance. `idpSids`: IdP sessions
 * the IdP has revoked; `appSid`: this app's own id of a signed-out session. Never throws.
 */
export async function refuseSessions({
  idpSids = [],
  appSid,
}: {
  idpSids?: readonly string[];
  appSid?: string;
}): Promise<void> {
  const keys = idpSids.filter(isSessionIdShape).map(idpSessionKey);
  if (appSid) keys.push(sessionIdKey(appSid));
  const until = denyUntil();
  denyLocally(keys, until);
  await publishRevocation(keys, until);
}

/** How long sign-out waits for the IdP before it signs out anyway. */
const SIGN_OUT_IDP_DEADLINE_MS = 3_000;

/**
 * Sign-out's part at the IdP: revokes this device's IdP session. Never throws and never waits
 * long: signing out of the app must happen whatever the IdP does. True when the IdP revoked it.
 */
export async function revokeAtSignOut(idpSid: string | undefined): Promise<boolean> {
  if (!isSessionIdShape(idpSid) || !(await isIdpReachable())) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), SIGN_OUT_IDP_DEADLINE_MS);
  });
  const revoked = revokeIdpSession(idpSid).then(
    () => true,
    // Already gone at the IdP (revoked elsewhere, expired): as good as revoked.
    (error: unknown) => isAuthError(error, 'session_not_found'),
  );
  try {
    return await Promise.race([revoked, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Revokes one of the signed-in user's sessions, after the owner check (someone else's or an
 * unknown id: AuthError `session_not_found`, nothing revoked). Returns whether it was this
 * device's own session, which the caller then signs out.
 */
export async function revokeOwnSession(
  session: AuthenticatedSession,
  sessionId: unknown,
): Promise<{ thisDevice: boolean }> {
  const id = await assertOwnSession(session.user.id, sessionId);
  await revokeIdpSession(id);
  await refuseSessions({ idpSids: [id] });
  return { thisDevice: id === session.claims.sid };
}

/**
 * "Sign out everywhere": every other session first, each refused as soon as the IdP confirms,
 * then this device's with whatever appeared meanwhile (revokeAllUserSessions). This device goes
 * last so that a failure part-way (IdP unreachable: AuthError `idp_unavailable`) leaves the user
 * signed in here, able to try again. The caller then signs this device out of the app.
 */
export async function revokeEverySession(session: AuthenticatedSession): Promise<void> {
  const userId = session.user.id;
  const current = typeof session.claims.sid === 'string' ? session.claims.sid : undefined;
  const others = (await listActiveSessions(userId)).filter((s) => s.sessionId !== current);
  await Promise.all(
    others.map(async ({ sessionId }) => {
      try {
        await revokeIdpSession(sessionId);
      } catch (error) {
        // Gone between the list and the revoke: nothing left to end.
        if (!isAuthError(error, 'session_not_found')) throw error;
      }
      await refuseSessions({ idpSids: [sessionId] });
    }),
  );
  const rest = await revokeAllIdpSessions(userId);
  await refuseSessions({ idpSids: current ? [...rest, current] : rest });
}
