import type { NextRequest } from 'next/server';
import { accessTokenResponse } from '@/lib/access-token';

/** GET /api/access-token: the signed-in user's access token, for this app's pages only. */
export function GET(request: NextRequest) {
  return accessTokenResponse(request);
}
