import type { Metadata } from 'next';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { requireRole } from '@/lib/server/authz';

export const metadata: Metadata = { title: 'Organization admin' };

/** Admins only: others get app/forbidden.tsx with a 403, signed-out visitors go to sign in. */
export default async function AdminPage() {
  const { user } = await requireRole('admin', '/admin');
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Organization admin</h1>
      <Card>
        <CardHeader>
          <CardTitle>Only admins see this page</CardTitle>
          <CardDescription>
            <code>requireRole(&apos;admin&apos;)</code> checked the <code>roles</code> claim of your
            verified access token on the server before anything rendered.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-1 text-sm">
          <p>
            Organization:{' '}
            <span className="font-mono" data-testid="admin-org">
              {user.organizationId ?? '—'}
            </span>
          </p>
          <p>
            Your roles: <span className="font-mono">{user.roles.join(', ')}</span>
          </p>
        </CardContent>
      </Card>
    </div>
  );
}
