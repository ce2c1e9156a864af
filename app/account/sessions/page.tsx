import type { Metadata } from 'next';
import { SessionsList } from '@/components/account/sessions-list';
import { AUTH_PATHS } from '@/lib/auth/paths';
import { sessionsForPage } from '@/lib/server/sessions/page-data';
import { requireSession } from '@/lib/server/session/session';

export const metadata: Metadata = { title: 'Sessions' };

export default async function SessionsPage() {
  const session = await requireSession(AUTH_PATHS.sessions);
  const listed = await sessionsForPage(session);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Your sessions</h1>
      <SessionsList rows={listed.rows} error={listed.error} now={listed.now} />
    </div>
  );
}
