'use client';

import { useRouter } from 'next/navigation';
import * as React from 'react';
import { useAnalytics } from '@/components/analytics/analytics-client';
import { buttonVariants } from '@/components/ui/button-variants';
import { useHydrated } from '@/hooks/use-hydrated';

// Styled with buttonVariants rather than <Button>: a component of the signed-in first load stays
// clear of cn()'s tailwind-merge (docs/5-performance.md, First Load JS).

/** Two buttons to see analytics work: queue an event, or send the queue now and reload the list. */
export function TrackDemo() {
  const { track, flush } = useAnalytics();
  const router = useRouter();
  const [queued, setQueued] = React.useState(0);
  // Until hydration a click would do nothing: say so, like the other demo buttons.
  const hydrated = useHydrated();
  return (
    <div className="flex flex-wrap items-center gap-3 pt-4">
      <button
        type="button"
        data-slot="button"
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        aria-disabled={!hydrated || undefined}
        onClick={() => {
          track('demo.button_clicked', { button: 'track' });
          setQueued((n) => n + 1);
        }}
      >
        Track a click
      </button>
      <button
        type="button"
        data-slot="button"
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        aria-disabled={!hydrated || undefined}
        onClick={async () => {
          await flush();
          setQueued(0);
          router.refresh();
        }}
      >
        Send now
      </button>
      <span className="text-sm text-muted-foreground" data-testid="queued-count">
        {queued} queued
      </span>
    </div>
  );
}
