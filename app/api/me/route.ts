import type { NextRequest } from 'next/server';
import { authorizeRequest } from '@/lib/server/authz';
import { jsonNoStore } from '@/lib/server/http';

/**
 * GET /api/me: the signed-in user, for client components (see SessionCheck on the dashboard).
 * A 401 tells lib/client/fetch-with-refresh.ts to refresh and try once more.
 */
export async function GET(request: NextRequest) {
  const auth = await authorizeRequest(request, {});
  if (!auth.ok) return auth.response;
  const { user, expiresAt } = auth.session;
  return jsonNoStore({ email: user.email, organizationId: user.organizationId, expiresAt });
}
