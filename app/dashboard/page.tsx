import type { Metadata } from 'next';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import { hasRole } from '@/lib/server/authz';
import { getConfig } from '@/lib/server/config';
import { requireSession } from '@/lib/server/session/session';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const { user, expiresAt } = await requireSession('/dashboard');
  return (
    <DashboardView
      user={user}
      expiresAt={expiresAt}
      isAdmin={await hasRole('admin')}
      apiUrl={getConfig().exampleApiUrl}
    />
  );
}
