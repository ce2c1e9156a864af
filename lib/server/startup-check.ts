import 'server-only';
import { getConfig } from './config';
import { handleTerminationSignals } from './shutdown';
import { warmRefreshStore } from '@/lib/server/refresh/tokens';
import { warmAnalytics } from '@/lib/server/analytics/analytics';

/** Exits the server with the configuration problem spelled out, before it takes any traffic. */
export function assertConfigAtStartup(): void {
  let config;
  try {
    config = getConfig();
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  // Connect a shared refresh store (REDIS_URL) now rather than on the first refresh.
  warmRefreshStore();
  // Built here, so the analytics flush joins the shutdown registry the SIGTERM handler runs.
  warmAnalytics();
  if (
    !handleTerminationSignals(config.manualSignalHandling) &&
    config.isProduction &&
    !config.onVercel
  ) {
    console.warn(
      '[shutdown] NEXT_MANUAL_SIG_HANDLE is not set, so on SIGTERM Next.js exits without draining refreshes or running shutdown hooks. Start with `npm start` (or set NEXT_MANUAL_SIG_HANDLE=true).',
    );
  }
}
