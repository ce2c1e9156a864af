'use server';

import { revalidatePath } from 'next/cache';
import { requirePermission } from '@/lib/server/authz';

/**
 * Recipe (README "A server action"); not used by the app, type-checked with it. A Server Action
 * is a public POST endpoint whatever page renders its form, so it checks the session itself.
 * Signed out: sign in and come back to `returnTo`. Signed in without the grant: the 403 page.
 */
export async function inviteMember(formData: FormData) {
  const { user } = await requirePermission('members:invite', '/settings/members');
  const email = formData.get('email');
  if (typeof email !== 'string' || !email.includes('@')) return { error: 'Enter an email.' };
  // Your own logic here, scoped to the caller's organization.
  console.info(`[members] ${user.organizationId ?? 'no org'} invites a member`);
  revalidatePath('/settings/members');
  return { error: null };
}
