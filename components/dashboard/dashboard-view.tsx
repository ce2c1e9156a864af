import Link from 'next/link';
import { SessionCheck } from '@/components/auth/session-check';
import { UserAvatar } from '@/components/auth/user-avatar';
import { ApiDemo } from '@/components/dashboard/api-demo';
import { TokenLifetime } from '@/components/dashboard/token-lifetime';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { nowSeconds } from '@/lib/server/cookies';
import type { SessionUser } from '@/lib/server/session/session';

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
      <dd className="col-span-2 font-mono break-all" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function DashboardView({
  user,
  expiresAt,
  isAdmin,
  apiUrl,
  activity,
}: {
  user: SessionUser;
  /** Access-token expiry, seconds since the epoch. */
  expiresAt: number;
  isAdmin: boolean;
  /** The example backend's base URL, or null to hide the demo. */
  apiUrl: string | null;
  /** The "Recent activity" panel (components/dashboard/activity-panel.tsx). */
  activity?: React.ReactNode;
}) {
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <UserAvatar user={user} size="lg" fallbackClassName="text-sm" />
          <h1 className="text-2xl font-semibold tracking-tight">
            Welcome, {user.name ?? user.email}
          </h1>
        </div>
        <div className="flex flex-wrap gap-2">
          {/* The UserButton's sidebar layouts (components/dashboard/app-sidebar.tsx). */}
          <Button asChild variant="ghost" size="sm">
            <Link href="/dashboard/sidebar" prefetch={false}>
              Sidebar layout demo
            </Link>
          </Button>
          {isAdmin && (
            <Button asChild variant="outline" size="sm">
              <Link href="/admin">Organization admin</Link>
            </Button>
          )}
        </div>
      </div>
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
            <Field
              label="Access token lifetime left"
              value={
                <TokenLifetime
                  key={expiresAt}
                  expiresAt={expiresAt}
                  expiresIn={Math.max(0, expiresAt - nowSeconds())}
                />
              }
              testId="token-lifetime"
            />
          </dl>
          <div className="pt-4">
            <SessionCheck />
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Call your API</CardTitle>
          <CardDescription>
            The browser gets a short-lived access token from <code>/api/access-token</code> and
            sends it as a bearer token to a separate backend, which verifies it against the
            IdP&apos;s public keys.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {apiUrl ? (
            <ApiDemo apiUrl={apiUrl} />
          ) : (
            <p className="text-sm text-muted-foreground">
              Set <code>EXAMPLE_API_URL</code> to the backend&apos;s base URL to try it.
            </p>
          )}
        </CardContent>
      </Card>
      {activity}
    </div>
  );
}
