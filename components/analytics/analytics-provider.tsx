import { getSession } from '@/lib/server/session/session';
import { AnalyticsClientProvider } from '@/components/auth/deferred';

/**
 * Mounts the browser's event queue for signed-in visitors only: signed out, useAnalytics() is a
 * no-op and no event can reach the server (which would answer 401 anyway).
 */
export async function AnalyticsProvider({ children }: { children: React.ReactNode }) {
  const session = await getSession();
  if (session.status === 'unauthenticated') return children;
  return <AnalyticsClientProvider>{children}</AnalyticsClientProvider>;
}
