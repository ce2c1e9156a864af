import { readAuthNotice } from '@/lib/server/auth-notice';
import { backgroundRefreshFor } from '@/lib/server/session/background-refresh';
import { toClientSession } from '@/lib/client/session';
import type { SocialProvider } from '@/lib/auth/paths';
import { getSession } from '@/lib/server/session/session';
import { AuthDialogProvider } from './auth-dialog';
import { AuthNoticeProvider } from './auth-notice';
import { RenewExpiredSession } from './deferred';
import { SessionProvider } from './session-provider';

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
      refresh={refreshInBackground ? backgroundRefreshFor(session) : undefined}
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
