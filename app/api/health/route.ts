import { jsonNoStore } from '@/lib/server/http';

/**
 * GET /api/health: liveness for load balancers and container health checks. Answers as long as
 * the process serves requests; no session, no configuration, no network. Readiness (config, IdP
 * keys, Redis, draining) is /api/health/ready.
 */
export const dynamic = 'force-dynamic';

export function GET() {
  return jsonNoStore({ status: 'ok' });
}
