'use client';

import { useRouter } from 'next/navigation';
import * as React from 'react';
import { useAnalytics } from '@/components/analytics/analytics-client';
import { Button } from '@/components/ui/button';

/** Two buttons to see analytics work: queue an event, or send the queue now and reload the list. */
export function TrackDemo() {
  const { track, flush } = useAnalytics();
  const router = useRouter();
  const [queued, setQueued] = React.useState(0);
  return (
    <div className="flex flex-wrap items-center gap-3 pt-4">
      <Button
        variant="outline"
        size="sm"
        onClick={() => {
          track('demo.button_clicked', { button: 'track' });
          setQueued((n) => n + 1);
        }}
      >
        Track a click
      </Button>
      <Button
        variant="outline"
        size="sm"
        onClick={async () => {
          await flush();
          setQueued(0);
          router.refresh();
        }}
      >
        Send now
      </Button>
      <span className="text-sm text-muted-foreground" data-testid="queued-count">
        {queued} queued
      </span>
    </div>
  );
}
