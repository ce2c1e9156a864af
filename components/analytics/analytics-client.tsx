'use client';

import * as React from 'react';
import { EventQueue, type TrackProps } from '@/lib/client/analytics';

export type Analytics = {
  /** Queues an event; it goes out with the next batch. */
  track(name: string, props?: TrackProps): void;
  /** Sends what is queued; await it before navigating away if the events must arrive first. */
  flush(): Promise<void>;
};

// Signed out, or outside the provider: nothing is tracked and nothing breaks.
const noop: Analytics = { track: () => undefined, flush: () => Promise.resolve() };

const AnalyticsContext = React.createContext<Analytics>(noop);

/** The browser queue for a signed-in user (mounted by ./analytics-provider.tsx only then). */
export function AnalyticsClientProvider({ children }: { children: React.ReactNode }) {
  const [queue] = React.useState(() => new EventQueue());
  React.useEffect(() => queue.listen(), [queue]);
  const value = React.useMemo<Analytics>(
    () => ({ track: (name, props) => queue.track(name, props), flush: () => queue.flush() }),
    [queue],
  );
  return <AnalyticsContext.Provider value={value}>{children}</AnalyticsContext.Provider>;
}

/** `{ track, flush }`: both no-ops for signed-out visitors. */
export function useAnalytics(): Analytics {
  return React.useContext(AnalyticsContext);
}
