import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { ActivityPanel } from '@/components/dashboard/activity-panel';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import type { WireEvent } from '@/lib/server/analytics/events';
import { getConfig } from '@/lib/server/config';
import type { SessionUser } from '@/lib/server/session/session';

/**
 * `npm run bench` baseline: the dashboard's markup for a fixed fake user, with no auth at all, so
 * the benchmark can compare /dashboard against the same page minus the session check. Answers 404
 * unless BENCH_ROUTES is on (lib/server/config.ts). It never reads cookies, never calls getSession() and
 * never sets anything: the user below is static text, not a session.
 */
export const metadata: Metadata = { title: 'Dashboard' };

// The seeded local-IdP user the benchmark signs in as, so both pages render the same bytes.
const BENCH_USER: SessionUser = Object.freeze({
  id: 'usr_01HALICE0000000000000001',
  email: 'alice@example.com',
  name: 'Alice Admin',
  givenName: 'Alice',
  familyName: 'Admin',
  emailVerified: true,
  organizationId: 'org_01HACME00000000000000001',
  roles: ['admin'],
  permissions: ['org:read', 'org:write', 'members:invite', 'api:read'],
});
// Fixed, like the user: the page renders the same bytes on every request (an ISO date as long as
// a real expiry's).
const BENCH_EXPIRES_AT = 1_900_000_000;
// The activity /dashboard shows right after the benchmark's sign-in, as static data: the
// baseline renders the panel's markup without reading any store.
const BENCH_ACTIVITY: readonly WireEvent[] = Object.freeze([
  {
    name: 'signed_in',
    userId: BENCH_USER.id,
    source: 'server',
    at: new Date(BENCH_EXPIRES_AT * 1000).toISOString(),
    props: { method: 'conn_01HACMEOKTA0000000000001', organization: BENCH_USER.organizationId! },
  },
]);

export default async function BenchDashboardPage() {
  // Rendered per request like /dashboard (which reads cookies), never prerendered at build time.
  await connection();
  if (!getConfig().benchRoutes) notFound();
  return (
    <DashboardView
      user={BENCH_USER}
      expiresAt={BENCH_EXPIRES_AT}
      isAdmin={BENCH_USER.roles.includes('admin')}
      apiUrl={getConfig().exampleApiUrl}
      activity={<ActivityPanel events={BENCH_ACTIVITY} />}
    />
  );
}
