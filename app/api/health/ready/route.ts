import { jsonNoStore } from '@/lib/server/http';
import { readiness } from '@/lib/server/health';

/**
 * GET /api/health/ready: 200 while this instance should get traffic, 503 naming the failed check
 * (`draining` from SIGTERM on, invalid config, IdP keys unreachable). Redis down alone is 200
 * `degraded`. See lib/server/health.ts.
 */
export const dynamic = 'force-dynamic';

export async function GET() {
  const result = await readiness();
  return jsonNoStore(result, { status: result.status === 'not_ready' ? 503 : 200 });
}
