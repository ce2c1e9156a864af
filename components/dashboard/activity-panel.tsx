import { ActivityList } from '@/components/dashboard/activity-list';
import { TrackDemo } from '@/components/dashboard/track-demo';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { WireEvent } from '@/lib/server/analytics/events';

/**
 * "Recent activity": the signed-in user's last events. `events` is read by the page
 * (lib/server/analytics/recent.ts); null means the store could not be reached.
 */
export function ActivityPanel({ events }: { events: readonly WireEvent[] | null }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Recent activity</CardTitle>
        <CardDescription>
          Your last events, as the server recorded them: sign-ins and sign-outs from the auth flow,
          clicks from <code>useAnalytics()</code>.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {events ? (
          <ActivityList events={events} />
        ) : (
          <p className="text-sm text-muted-foreground">
            Activity is unavailable right now (the event store did not answer).
          </p>
        )}
        <TrackDemo />
      </CardContent>
    </Card>
  );
}
