import { readAuthNotice } from '@/lib/server/auth-notice';
import { toClientSession } from '@/lib/client/session';
import type { SocialProvider } from '@/lib/auth/paths';
import { getSession } from '@/lib/server/session/session';
import { AuthDialogProvider } from './auth-dialog';
import { AuthNoticeProvider } from './auth-notice';
import { RenewExpiredSession } from './deferred';
import { SessionProvider } from './session-provider';

/**
 * Everything the auth components need, in one Server Component for the root layout: the session
 * from the verified cookie (so the first paint is already signed in or out), any pending flow
 * notice, and the sign-in dialog.
 */
async function AuthProvider({
  children,
  appName,
  socialProviders,
}: {
  children: React.ReactNode;
  appName?: string;
  socialProviders?: readonly SocialProvider[];
}) {
  const [session, notice] = await Promise.all([getSession(), readAuthNotice()]);
  return (
    <SessionProvider session={toClientSession(session)}>
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
