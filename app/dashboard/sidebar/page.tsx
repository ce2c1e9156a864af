import type { Metadata } from 'next';
import { AppSidebar } from '@/components/dashboard/app-sidebar';
import { requireSession } from '@/lib/server/session/session';

export const metadata: Metadata = { title: 'Sidebar demo' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The UserButton's sidebar layouts in an app frame: `?collapsed=1` folds the sidebar. */
export default async function SidebarDemoPage({ searchParams }: Props) {
  const collapsed = (await searchParams).collapsed === '1';
  const { user } = await requireSession(`/dashboard/sidebar${collapsed ? '?collapsed=1' : ''}`);
  return (
    <div className="flex min-h-[28rem] overflow-hidden rounded-xl border bg-card text-card-foreground">
      <AppSidebar collapsed={collapsed} current="/dashboard/sidebar" />
      <div className="flex-1 space-y-3 p-6">
        <h1 className="text-2xl font-semibold tracking-tight">Sidebar demo</h1>
        <p className="text-sm text-muted-foreground">
          The account menu of {user.name ?? user.email} sits at the foot of the sidebar:{' '}
          <code>{'<UserButton layout="vertical-nav" />'}</code> while it is open,{' '}
          <code>{'<UserButton layout="collapsed" />'}</code> once it is folded to icons. The header
          keeps <code>{'<UserButton />'}</code> (<code>top-nav</code>). All three open the same
          menu.
        </p>
      </div>
    </div>
  );
}
