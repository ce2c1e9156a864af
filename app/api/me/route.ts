import { jsonNoStore } from '@/lib/http';
import { getSession } from '@/lib/session';

/**
 * GET /api/me: the signed-in user, for client components (see SessionCheck on the dashboard).
 * 401 `expired` tells lib/client/fetch-with-refresh.ts to refresh and try once more.
 */
export async function GET() {
  const session = await getSession();
  if (session.status !== 'authenticated') {
    return jsonNoStore({ error: session.status }, { status: 401 });
  }
  const { user, expiresAt } = session;
  return jsonNoStore({ email: user.email, organizationId: user.organizationId, expiresAt });
}
