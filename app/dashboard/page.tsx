import type { Metadata } from 'next';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import { requireSession } from '@/lib/session';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const { user, expiresAt } = await requireSession('/dashboard');
  return <DashboardView user={user} expiresAt={expiresAt} />;
}
