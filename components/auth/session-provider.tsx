'use client';

import * as React from 'react';
import type { ClientSession } from '@/lib/client/session';
import type { SessionUser } from '@/lib/server/session/session';

export type SessionStatus = 'loading' | 'authenticated' | 'unauthenticated';

export type SessionContextValue = {
  status: SessionStatus;
  user: SessionUser | null;
  /** Access-token expiry, seconds since the epoch; null unless authenticated. */
  expiresAt: number | null;
  /** Signs out here and at the IdP: a POST to /logout, then the IdP's logout redirect. */
  signOut: () => void;
};

const SessionContext = React.createContext<SessionContextValue | null>(null);

function signOut() {
  // A real form POST, as the UserButton's sign-out: /logout ignores cross-site and prefetched
  // GETs, and the browser has to navigate to the IdP to end that session too.
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/logout';
  document.body.append(form);
  form.submit();
}

/**
 * Makes the server's session available to client components. It arrives as a prop from the root
 * layout (components/auth/auth-provider.tsx), so the first render is already right: no loading
 * flash, no extra request. `router.refresh()` re-renders the layout and passes the new session.
 *
 * An expired access token shows as 'loading' while it is renewed (see RenewExpiredSession).
 */
function SessionProvider({
  session,
  children,
}: {
  session: ClientSession;
  children: React.ReactNode;
}) {
  const value = React.useMemo<SessionContextValue>(
    () =>
      session.status === 'authenticated'
        ? { status: 'authenticated', user: session.user, expiresAt: session.expiresAt, signOut }
        : {
            status: session.status === 'expired' ? 'loading' : 'unauthenticated',
            user: null,
            expiresAt: null,
            signOut,
          },
    [session],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function useSession(): SessionContextValue {
  const value = React.useContext(SessionContext);
  if (!value) throw new Error('useSession() must be used inside <SessionProvider>.');
  return value;
}

export { SessionProvider, useSession };
