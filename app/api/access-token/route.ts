import { accessTokenResponse } from '@/lib/server/access-token';
import { withAppOrigin } from '@/lib/server/http';

/** GET /api/access-token: the signed-in user's access token, for this app's pages only. */
export const GET = withAppOrigin(accessTokenResponse);
