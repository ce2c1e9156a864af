import Link from 'next/link';
import type { NextRequest } from 'next/server';
import { authorizeRequest, hasRole, requirePermission } from '@/lib/server/authz';
import { jsonNoStore } from '@/lib/server/http';

// Recipes (docs/2-components.md "Authorization"); not used by the app, type-checked with it.

/** A page: signed out → sign in, signed in without the permission → the 403 page. */
export async function SettingsPage() {
  const { user } = await requirePermission('org:write', '/settings');
  return <h1>Settings for {user.organizationId}</h1>;
}

/** Show or hide UI in a Server Component. */
export async function AdminLink() {
  return (await hasRole('admin')) && <Link href="/admin">Organization admin</Link>;
}

/** A JSON route handler: 401 / 403 instead of redirects. */
export async function POST(request: NextRequest) {
  const auth = await authorizeRequest(request, { permission: 'members:invite' });
  if (!auth.ok) return auth.response;
  return jsonNoStore({ invitedBy: auth.session.user.email });
}
