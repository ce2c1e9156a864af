import { ingestEvents } from '@/lib/server/analytics/ingest';
import { withAppOrigin } from '@/lib/server/http';

/** POST /api/events: a batch from useAnalytics() (lib/client/analytics.ts). */
export const POST = withAppOrigin(ingestEvents);
