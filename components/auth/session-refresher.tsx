import { getConfig } from '@/lib/server/config';
import { nowSeconds } from '@/lib/server/cookies';
import { getSession } from '@/lib/server/session/session';
import { SessionRefresherClient } from './deferred';

/**
 * Mounts the browser-side refresher for signed-in visitors only. An expired access token counts
 * as signed in: the refresher renews it at once. The time left is measured here, by the
 * server's clock, because the browser's may be off by minutes.
 */
export async function SessionRefresher() {
  const session = await getSession();
  if (session.status === 'unauthenticated') return null;
  const expiresAt = session.status === 'authenticated' ? session.expiresAt : 0;
  const msLeft = Math.max(0, (expiresAt - nowSeconds()) * 1000);
  const idleMs = getConfig().session.idleTimeoutSeconds * 1000;
  return <SessionRefresherClient expiresAt={expiresAt} msLeft={msLeft} idleMs={idleMs} />;
}
