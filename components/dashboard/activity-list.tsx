import type { WireEvent } from '@/lib/server/analytics/events';

const describe = (event: WireEvent) => {
  const props = Object.entries(event.props)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return props ? `${event.name} (${props})` : event.name;
};

/** A user's recent events, newest first. Presentational: the caller reads them. */
export function ActivityList({ events }: { events: readonly WireEvent[] }) {
  if (events.length === 0) {
    return <p className="text-sm text-muted-foreground">No activity yet.</p>;
  }
  return (
    <ol className="divide-y text-sm" data-testid="activity-list">
      {events.map((event, i) => (
        <li key={`${event.at}-${i}`} className="flex justify-between gap-4 py-2">
          <span className="font-mono break-all" data-testid="activity-event">
            {describe(event)}
          </span>
          <time className="shrink-0 text-muted-foreground" dateTime={event.at}>
            {event.at.slice(11, 19)} UTC · {event.source}
          </time>
        </li>
      ))}
    </ol>
  );
}
