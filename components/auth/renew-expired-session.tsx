'use client';

import { useRouter } from 'next/navigation';
import * as React from 'react';
import { useAuthNotice } from './auth-notice';
import { useSession } from './session-provider';

/**
 * A page rendered with an expired access token (status 'loading') renews it once through
 * POST /api/refresh, then re-renders with the new session: signed in again, or signed out with
 * a notice. Protected pages never get here: requireSession() already renews on the server.
 */
function RenewExpiredSession() {
  const { status } = useSession();
  const { show } = useAuthNotice();
  const router = useRouter();

  React.useEffect(() => {
    if (status !== 'loading') return;
    let active = true;
    fetch('/api/refresh', { method: 'POST', credentials: 'same-origin', cache: 'no-store' })
      .then((response) => {
        if (!active) return;
        if (response.status === 401) show('session_expired');
        else if (!response.ok) show('idp_unavailable');
        // 503 keeps the cookies: the page stays 'loading' and the notice says why.
        router.refresh();
      })
      .catch(() => active && show('idp_unavailable'));
    return () => {
      active = false;
    };
  }, [status, show, router]);

  return null;
}

export { RenewExpiredSession };
