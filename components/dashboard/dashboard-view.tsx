import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { SessionUser } from '@/lib/session';

/**
 * The dashboard body, without the session lookup. Presentational so that /dashboard (which
 * verifies the session) and the bench baseline /bench/dashboard (a fixed fake user, no auth)
 * render exactly the same markup, and `npm run bench` measures only what auth adds.
 */
function Field({
  label,
  value,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  testId: string;
}) {
  return (
    <div className="grid grid-cols-3 gap-4 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="col-span-2 break-all font-mono" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function DashboardView({
  user,
  expiresAt,
}: {
  user: SessionUser;
  /** Access-token expiry, seconds since the epoch. */
  expiresAt: number;
}) {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Welcome, {user.name ?? user.email}</h1>
      <Card>
        <CardHeader>
          <CardTitle>Your session</CardTitle>
          <CardDescription>
            Read from the encrypted session cookie and verified against the IdP&apos;s keys on this
            request.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="divide-y">
            <Field label="Email" value={user.email ?? '—'} testId="user-email" />
            <Field label="Name" value={user.name ?? '—'} testId="user-name" />
            <Field label="User id" value={user.id} testId="user-id" />
            <Field label="Organization" value={user.organizationId ?? '—'} testId="user-org" />
            <Field label="Roles" value={user.roles.join(', ') || '—'} testId="user-roles" />
            <Field
              label="Permissions"
              value={user.permissions.join(', ') || '—'}
              testId="user-permissions"
            />
            <Field
              label="Access token expires"
              value={new Date(expiresAt * 1000).toISOString()}
              testId="token-expiry"
            />
          </dl>
        </CardContent>
      </Card>
    </div>
  );
}
