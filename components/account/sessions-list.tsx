import { MonitorIcon, SmartphoneIcon, TabletIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { authMessage, type AuthCode } from '@/lib/auth/outcomes';
import { AUTH_PATHS } from '@/lib/auth/paths';
import { relativeTime, type SessionRow } from '@/lib/server/sessions/describe';

/**
 * The signed-in user's sessions, one row per device, with a "Revoke" per row and "Sign out
 * everywhere" below. Plain forms (POST, no client JavaScript): they work before hydration, and
 * the routes apply the same same-origin rule as /logout.
 */

function DeviceIcon({ type }: { type?: string }) {
  const Icon = type === 'Mobile' ? SmartphoneIcon : type === 'Tablet' ? TabletIcon : MonitorIcon;
  return <Icon aria-hidden className="mt-0.5 size-5 shrink-0 text-muted-foreground" />;
}

function Row({ row, now }: { row: SessionRow; now: number }) {
  const details = [row.deviceType, row.ip, row.location].filter(Boolean).join(' · ');
  return (
    <li
      className="flex items-start gap-3 py-4"
      data-testid="session-row"
      data-this-device={row.thisDevice || undefined}
    >
      <DeviceIcon type={row.deviceType} />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          <span data-testid="session-device">{row.device}</span>
          {row.thisDevice && (
            <span
              className="rounded-md border px-1.5 py-0.5 text-xs font-medium text-muted-foreground"
              data-testid="this-device-badge"
            >
              This device
            </span>
          )}
        </p>
        {details && (
          <p className="truncate text-sm text-muted-foreground" data-testid="session-details">
            {details}
          </p>
        )}
        {row.lastActiveAt !== undefined && (
          <p className="text-sm text-muted-foreground">
            Last active{' '}
            <time
              dateTime={new Date(row.lastActiveAt).toISOString()}
              title={new Date(row.lastActiveAt).toUTCString()}
              data-testid="session-last-active"
            >
              {relativeTime(row.lastActiveAt, now)}
            </time>
          </p>
        )}
      </div>
      <form action={AUTH_PATHS.revokeSession} method="post">
        <input type="hidden" name="session_id" value={row.id} />
        <Button
          type="submit"
          variant="outline"
          size="sm"
          data-testid="revoke-session"
          aria-label={
            row.thisDevice ? 'Revoke this device (signs you out)' : `Revoke ${row.device}`
          }
        >
          Revoke
        </Button>
      </form>
    </li>
  );
}

export function SessionsList({
  rows,
  error,
  now,
}: {
  rows: SessionRow[];
  /** Why the list could not be read (the IdP did not answer); the page says so instead. */
  error?: AuthCode;
  now: number;
}) {
  const problem = error ? authMessage(error) : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>
          Devices signed in to your account. Revoke one you do not recognise: it has to sign in
          again.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {problem ? (
          <div role="alert" className="space-y-1 text-sm" data-testid="sessions-error">
            <p className="font-medium">{problem.title}</p>
            <p className="text-muted-foreground">{problem.description}</p>
          </div>
        ) : (
          <ul className="divide-y" data-testid="sessions">
            {rows.map((row) => (
              <Row key={row.id} row={row} now={now} />
            ))}
          </ul>
        )}
      </CardContent>
      <div className="flex justify-end border-t p-6">
        <form action={AUTH_PATHS.signOutEverywhere} method="post">
          <Button
            type="submit"
            variant="outline"
            className="text-destructive hover:text-destructive"
            data-testid="sign-out-everywhere"
          >
            Sign out everywhere
          </Button>
        </form>
      </div>
    </Card>
  );
}
