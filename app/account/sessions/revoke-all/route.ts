import { withAppOrigin } from '@/lib/server/http';
import { signOutEverywhereFromForm } from '@/lib/server/sessions/account';

/** POST from the account page's "Sign out everywhere" button; no GET: links must not sign out. */
export const POST = withAppOrigin(signOutEverywhereFromForm);
