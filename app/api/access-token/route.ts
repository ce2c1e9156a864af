import { accessTokenResponse } from '@/lib/access-token';
import { withAppOrigin } from '@/lib/route-helpers';

/** GET /api/access-token: the signed-in user's access token, for this app's pages only. */
export const GET = withAppOrigin(accessTokenResponse);
