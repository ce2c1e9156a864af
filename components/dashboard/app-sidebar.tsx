import {
  LayoutDashboardIcon,
  PanelLeftCloseIcon,
  PanelLeftOpenIcon,
  PanelsTopLeftIcon,
  ShieldIcon,
} from 'lucide-react';
import Link from 'next/link';
import { UserButton } from '@/components/auth/user-button';
import { cn } from '@/lib/utils';

const NAV = [
  { href: '/dashboard', label: 'Dashboard', Icon: LayoutDashboardIcon },
  { href: '/dashboard/sidebar', label: 'Sidebar demo', Icon: PanelsTopLeftIcon },
  { href: '/admin', label: 'Organization admin', Icon: ShieldIcon },
] as const;

/**
 * An app sidebar with the UserButton at its foot: `vertical-nav` when open, `collapsed` when
 * folded to icons. A Server Component: folding is a link (`?collapsed=1`), so the sidebar adds
 * no client code beyond the UserButton the header already loads.
 */
export function AppSidebar({ collapsed, current }: { collapsed: boolean; current: string }) {
  const toggleHref = collapsed ? '/dashboard/sidebar' : '/dashboard/sidebar?collapsed=1';
  const ToggleIcon = collapsed ? PanelLeftOpenIcon : PanelLeftCloseIcon;
  return (
    <nav
      aria-label="Sidebar"
      data-testid="app-sidebar"
      data-collapsed={collapsed || undefined}
      className={cn(
        'flex shrink-0 flex-col gap-2 border-r bg-muted/40 p-2',
        collapsed ? 'w-14 items-center' : 'w-60',
      )}
    >
      <Link
        href={toggleHref}
        aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
        title={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
        className={cn(
          'inline-flex size-9 items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
          !collapsed && 'self-end',
        )}
      >
        <ToggleIcon aria-hidden className="size-4" />
      </Link>
      <div className="grid gap-1">
        {NAV.map(({ href, label, Icon }) => (
          <Link
            key={href}
            href={href}
            aria-current={href === current ? 'page' : undefined}
            aria-label={collapsed ? label : undefined}
            title={collapsed ? label : undefined}
            className={cn(
              'flex h-9 items-center gap-2 rounded-md px-2 text-sm hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none aria-[current=page]:bg-accent aria-[current=page]:font-medium',
              collapsed && 'size-9 justify-center px-0',
            )}
          >
            <Icon aria-hidden className="size-4 shrink-0" />
            {!collapsed && label}
          </Link>
        ))}
      </div>
      <div className={cn('mt-auto border-t pt-2', !collapsed && 'w-full')}>
        <UserButton layout={collapsed ? 'collapsed' : 'vertical-nav'} />
      </div>
    </nav>
  );
}
