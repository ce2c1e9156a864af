'use client';

import * as React from 'react';
import type { BackgroundRefreshOptions } from '@/lib/client/background-refresh';
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
 *
 * With `refresh` (the root layout passes it for signed-in visitors) it also keeps the session
 * fresh in the background (lib/client/background-refresh.ts).
 */
function SessionProvider({
  session,
  refresh,
  children,
}: {
  session: ClientSession;
  /** When to renew, by the server's clock; omitted, nothing renews in the background. */
  refresh?: BackgroundRefreshOptions;
  children: React.ReactNode;
}) {
  useBackgroundRefresh(refresh);
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

/**
 * Performance: the refresher is started here, from a component every page already has, rather
 * than as a component of its own: each client component a Server Component renders costs server
 * CPU on every signed-in request (docs/5-performance.md). Its code is fetched after hydration,
 * and only for signed-in visitors; it has nothing to do for about a minute anyway.
 */
function useBackgroundRefresh(refresh: BackgroundRefreshOptions | undefined) {
  const expiresAt = refresh?.expiresAt;
  const msLeft = refresh?.msLeft;
  const idleMs = refresh?.idleMs;
  React.useEffect(() => {
    if (expiresAt === undefined || msLeft === undefined || idleMs === undefined) return;
    let stop: (() => void) | undefined;
    let active = true;
    import('@/lib/client/background-refresh').then(
      ({ startBackgroundRefresh }) => {
        if (active) stop = startBackgroundRefresh({ expiresAt, msLeft, idleMs });
      },
      // Its chunk did not arrive (offline, a new deployment): protected pages and
      // fetchWithRefresh still renew, and the next render of the layout tries again.
      () => undefined,
    );
    return () => {
      active = false;
      stop?.();
    };
  }, [expiresAt, msLeft, idleMs]);
}

/** The session, or null outside <SessionProvider> (for hooks that must not throw there). */
function useOptionalSession(): SessionContextValue | null {
  return React.useContext(SessionContext);
}

function useSession(): SessionContextValue {
  const value = React.useContext(SessionContext);
  if (!value) throw new Error('useSession() must be used inside <SessionProvider>.');
  return value;
}

export { SessionProvider, useOptionalSession, useSession };
