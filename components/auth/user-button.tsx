'use client';

import {
  ArrowLeftRightIcon,
  LayoutDashboardIcon,
  LogOutIcon,
  MonitorSmartphoneIcon,
} from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import * as React from 'react';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { useHydrated } from '@/hooks/use-hydrated';
import { loginHref } from '@/lib/auth/paths';
import { useSession } from './session-provider';
import { MENU_PLACEMENT, UserButtonTrigger, type UserButtonLayout } from './user-button-trigger';

/**
 * The signed-in user's menu: avatar (or initials), name, email, organization, a dashboard link
 * and sign-out. Renders nothing when nobody is signed in; wrap it in <SignedIn> to also skip its
 * code on signed-out pages. One menu for every layout; only the trigger and where the menu
 * opens differ (./user-button-trigger.tsx).
 */
function UserButton({
  imageUrl,
  dashboardHref = '/dashboard',
  layout = 'top-nav',
  children,
}: {
  /** Overrides the ID token's `picture`; the initials show while it loads or when there is none. */
  imageUrl?: string;
  dashboardHref?: string;
  /** 'top-nav' (a header), 'vertical-nav' (a sidebar), 'collapsed' (a sidebar of icons). */
  layout?: UserButtonLayout;
  /** Extra menu items, rendered above sign-out. */
  children?: React.ReactNode;
}) {
  const { user } = useSession();
  const formId = React.useId();
  const hydrated = useHydrated();
  const pathname = usePathname();
  if (!user) return null;
  const displayName = user.name ?? user.email ?? 'Your account';

  return (
    <>
      {/* Outside the menu, so the menu holds only menu items; the item below submits it. A POST,
          never a link: links get prefetched and can be triggered from other sites. */}
      <form id={formId} action="/logout" method="post" hidden />
      {/* Non-modal: the page is not aria-hidden behind the menu (a modal menu leaves focusable
          controls inside aria-hidden content); Escape, Tab and outside clicks still close it. */}
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <UserButtonTrigger
            layout={layout}
            user={user}
            imageUrl={imageUrl}
            aria-label={`Account menu for ${displayName}`}
            aria-disabled={!hydrated || undefined}
            data-testid="user-button"
          />
        </DropdownMenuTrigger>
        <DropdownMenuContent {...MENU_PLACEMENT[layout]} className="w-64">
          <DropdownMenuLabel className="font-normal">
            <div className="grid gap-0.5">
              <span className="truncate font-medium" data-testid="user-button-name">
                {displayName}
              </span>
              {user.email && (
                <span className="truncate text-muted-foreground" data-testid="user-button-email">
                  {user.email}
                </span>
              )}
              {user.organizationId && (
                <span
                  className="truncate font-mono text-xs text-muted-foreground"
                  data-testid="user-button-org"
                >
                  {user.organizationId}
                </span>
              )}
            </div>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <Link href={dashboardHref}>
              <LayoutDashboardIcon />
              Dashboard
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem asChild>
            <Link href="/account/sessions" prefetch={false} data-testid="user-button-sessions">
              <MonitorSmartphoneIcon />
              Sessions
            </Link>
          </DropdownMenuItem>
          {/* Scalekit's tokens carry the current organization only, not the user's memberships
              (listing them needs the management API), so there is no per-user "has several
              organizations" to check: anyone signed in to an organization gets the switcher,
              and the hosted page shows the user's organizations (or just the one). A plain <a>,
              not <Link>: a prefetch of /login would start a sign-in. */}
          {user.organizationId && (
            <DropdownMenuItem asChild>
              <a
                href={loginHref({ prompt: 'select_account', returnTo: pathname || undefined })}
                data-testid="user-button-switch-org"
              >
                <ArrowLeftRightIcon />
                Switch organization
              </a>
            </DropdownMenuItem>
          )}
          {children}
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <button type="submit" form={formId} className="w-full">
              <LogOutIcon />
              Sign out
            </button>
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}

export { UserButton };
