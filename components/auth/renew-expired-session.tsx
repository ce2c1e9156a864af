'use client';

import { useRouter } from 'next/navigation';
import * as React from 'react';
import { refreshAcrossTabs } from '@/lib/client/session-refresh';
import { useAuthNotice } from './auth-notice';
import { useSession } from './session-provider';

/**
 * A page rendered with an expired access token (status 'loading') renews it once through
 * the tab-wide refresher (lib/client/session-refresh.ts), then re-renders with the new session: signed in again, or signed out with
 * a notice. Protected pages never get here: requireSession() already renews on the server.
 */
function RenewExpiredSession() {
  const { status } = useSession();
  const { show } = useAuthNotice();
  const router = useRouter();

  React.useEffect(() => {
    if (status !== 'loading') return;
    let active = true;
    // Through the tab-wide refresher: one refresh per browser, whoever asks.
    refreshAcrossTabs().then((outcome) => {
      if (!active) return;
      if (outcome.status === 'ended') show('session_ended');
      else if (outcome.status === 'unavailable') show('idp_unavailable');
      // 503 keeps the cookies: the page stays 'loading' and the notice says why.
      router.refresh();
    });
    return () => {
      active = false;
    };
  }, [status, show, router]);

  return null;
}

export { RenewExpiredSession };
