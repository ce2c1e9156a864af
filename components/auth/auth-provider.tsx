import type { BackgroundRefreshOptions } from '@/lib/client/background-refresh';
import { readAuthNotice } from '@/lib/server/auth-notice';
import { getConfig } from '@/lib/server/config';
import { nowSeconds } from '@/lib/server/cookies';
import { toClientSession } from '@/lib/client/session';
import type { SocialProvider } from '@/lib/auth/paths';
import { getSession, type Session } from '@/lib/server/session/session';
import { AuthDialogProvider } from './auth-dialog';
import { AuthNoticeProvider } from './auth-notice';
import { RenewExpiredSession } from './deferred';
import { SessionProvider } from './session-provider';

/**
 * When a signed-in tab renews its session. An expired access token counts as signed in: the tab
 * renews it at once. The time left is measured here, by the server's clock, because the
 * browser's may be off by minutes.
 */
function backgroundRefresh(session: Session): BackgroundRefreshOptions | undefined {
  if (session.status === 'unauthenticated') return undefined;
  const expiresAt = session.status === 'authenticated' ? session.expiresAt : 0;
  return {
    expiresAt,
    msLeft: Math.max(0, (expiresAt - nowSeconds()) * 1000),
    idleMs: getConfig().session.idleTimeoutSeconds * 1000,
  };
}

/**
 * Everything the auth components need, in one Server Component for the root layout: the session
 * from the verified cookie (so the first paint is already signed in or out), its renewal in the
 * background for signed-in visitors, any pending flow notice, and the sign-in dialog.
 */
async function AuthProvider({
  children,
  appName,
  socialProviders,
  refreshInBackground = true,
}: {
  children: React.ReactNode;
  appName?: string;
  socialProviders?: readonly SocialProvider[];
  /**
   * Renew the session about a minute before the access token expires, while the user is active
   * (lib/client/background-refresh.ts). Without it a session lapses with its access token, unless
   * a protected page or `fetchWithRefresh` renews it on the way.
   */
  refreshInBackground?: boolean;
}) {
  const [session, notice] = await Promise.all([getSession(), readAuthNotice()]);
  return (
    <SessionProvider
      session={toClientSession(session)}
      refresh={refreshInBackground ? backgroundRefresh(session) : undefined}
    >
      <AuthNoticeProvider initialNotice={notice}>
        <AuthDialogProvider appName={appName} socialProviders={socialProviders}>
          {/* Only a page rendered with an expired access token renews it here. */}
          {session.status === 'expired' && <RenewExpiredSession />}
          {children}
        </AuthDialogProvider>
      </AuthNoticeProvider>
    </SessionProvider>
  );
}

export { AuthProvider };
