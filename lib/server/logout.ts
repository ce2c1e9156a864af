import 'server-only';
import { authEvent, sealedSubject } from '@/lib/server/analytics/analytics';
import { claimOfSealedToken, type CookieReader } from './cookies';
import type { AppOrigin } from './http';
import { revokeSession } from '@/lib/server/refresh/tokens';
import { getScalekit } from './scalekit';
import { refuseSessions, revokeAtSignOut } from '@/lib/server/sessions/revoke';
import { openAccessCookie, openIdCookie, readSessionCookies } from '@/lib/server/session/session';

/**
 * The IdP's logout URL. Logout must be a browser redirect: the IdP ends its own session from its
 * cookie, which only the browser has. The ID token hint tells it which session to end.
 */
export function buildLogoutUrl(app: AppOrigin, idToken: string | undefined): string {
  return getScalekit().getLogoutUrl({
    idTokenHint: idToken,
    postLogoutRedirectUri: app.postLogoutRedirectUrl,
  });
}

/**
 * Signs the request's session out on the app's side: its id is denied until the session's
 * absolute expiry (lib/server/refresh/tokens.ts `revokeSession`), so a copy of its refresh or access cookie
 * taken before sign-out is refused afterwards, on every instance within a second when Redis is
 * configured (lib/server/sessions/broadcast.ts). Unless `atIdp` is false (the caller revoked it
 * already), the IdP's session of this device is revoked too (never blocking: an IdP that does
 * not answer leaves its session to the logout redirect). Returns the ID token, for the IdP's
 * logout hint. The refresh cookie itself never reaches /logout (its path is /api/refresh); the
 * access and ID cookies carry the same id.
 */
export async function endSession(
  app: AppOrigin,
  cookies: CookieReader,
  { atIdp = true }: { atIdp?: boolean } = {},
): Promise<{ idToken: string | undefined }> {
  const sealed = readSessionCookies(cookies, app);
  const [access, id] = await Promise.all([
    openAccessCookie(sealed.access),
    openIdCookie(sealed.id),
  ]);
  const idToken = typeof id?.it === 'string' ? id.it : undefined;
  for (const cookie of [access, id]) {
    if (cookie && typeof cookie.sid === 'string') {
      await revokeSession(cookie.sid, cookie.exp);
      const idpSid = claimOfSealedToken(access?.at, 'sid') ?? claimOfSealedToken(idToken, 'sid');
      const revokedAtIdp = atIdp && (await revokeAtSignOut(idpSid));
      await refuseSessions({ appSid: cookie.sid, idpSids: revokedAtIdp && idpSid ? [idpSid] : [] });
      break;
    }
  }
  authEvent(sealedSubject(access?.at), 'signed_out', {});
  return { idToken };
}
