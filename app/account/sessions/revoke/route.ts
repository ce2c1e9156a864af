import { withAppOrigin } from '@/lib/server/http';
import { revokeOneFromForm } from '@/lib/server/sessions/account';

/** POST from the account page's "Revoke" button (`session_id`); no GET: links must not revoke. */
export const POST = withAppOrigin(revokeOneFromForm);
