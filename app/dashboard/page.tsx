import type { Metadata } from 'next';
import { ActivityPanel } from '@/components/dashboard/activity-panel';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import { recentActivity } from '@/lib/server/analytics/recent';
import { hasRole } from '@/lib/server/authz';
import { getConfig } from '@/lib/server/config';
import { requireSession } from '@/lib/server/session/session';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const { user, expiresAt } = await requireSession('/dashboard');
  const [isAdmin, activity] = await Promise.all([hasRole('admin'), recentActivity(user.id)]);
  return (
    <DashboardView
      user={user}
      expiresAt={expiresAt}
      isAdmin={isAdmin}
      apiUrl={getConfig().exampleApiUrl}
      activity={<ActivityPanel events={activity.available ? activity.events : null} />}
    />
  );
}
