'use client';

import { useRouter } from 'next/navigation';
import * as React from 'react';
import {
  AccessTokenError,
  createAccessTokenClient,
  routeTokenSource,
  type AccessTokenClient,
} from '@/lib/client/access-token';
import { useAuthNotice } from './auth-notice';
import { useSession } from './session-provider';

// One client per route and user for the whole tab, so every component shares one cache and one
// in-flight request. Keyed by user, so a token can never outlive a change of user.
const clients = new Map<string, AccessTokenClient>();

function clientFor(tokenPath: string, userId: string): AccessTokenClient {
  const key = `${tokenPath}\n${userId}`;
  let client = clients.get(key);
  if (!client) {
    for (const [other, stale] of clients) {
      if (other.startsWith(`${tokenPath}\n`)) {
        stale.clear();
        clients.delete(other);
      }
    }
    client = createAccessTokenClient({ source: routeTokenSource({ tokenPath }) });
    clients.set(key, client);
  }
  return client;
}

/**
 * `getAccessToken()` for calling a separate backend with `Authorization: Bearer …`. Cached in
 * memory, renewed when less than a minute is left, one request for concurrent callers. When the
 * session cannot be renewed it says so (AuthNotice) and refreshes the page's session state.
 */
function useAccessToken(tokenPath = '/api/access-token') {
  const { user } = useSession();
  const { show } = useAuthNotice();
  const router = useRouter();
  const userId = user?.id ?? '';

  const getAccessToken = React.useCallback(async () => {
    try {
      return await clientFor(tokenPath, userId).getAccessToken();
    } catch (error) {
      if (error instanceof AccessTokenError) {
        if (error.code === 'session_ended') {
          show('session_ended');
          router.refresh();
        } else if (error.code === 'unavailable') {
          show('idp_unavailable');
        }
      }
      throw error;
    }
  }, [tokenPath, userId, show, router]);

  return { getAccessToken };
}

export { useAccessToken };
