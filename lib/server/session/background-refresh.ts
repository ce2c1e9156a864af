import 'server-only';
import type { BackgroundRefreshOptions } from '@/lib/client/background-refresh';
import { getConfig } from '@/lib/server/config';
import { nowSeconds } from '@/lib/server/cookies';
import type { Session } from './session';

/**
 * When a signed-in tab renews its session (lib/client/background-refresh.ts), or undefined for a
 * signed-out visitor. An expired access token counts as signed in: the tab renews it at once.
 * The time left is measured here, by the server's clock, because the browser's may be off by
 * minutes; the tab counts it down from when the page arrives.
 */
export function backgroundRefreshFor(session: Session): BackgroundRefreshOptions | undefined {
  if (session.status === 'unauthenticated') return undefined;
  const expiresAt = session.status === 'authenticated' ? session.expiresAt : 0;
  return {
    expiresAt,
    msLeft: Math.max(0, (expiresAt - nowSeconds()) * 1000),
    idleMs: getConfig().session.idleTimeoutSeconds * 1000,
  };
}
