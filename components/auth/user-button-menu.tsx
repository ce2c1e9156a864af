'use client';

import {
  ArrowLeftRightIcon,
  LayoutDashboardIcon,
  LogOutIcon,
  MonitorSmartphoneIcon,
} from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type * as React from 'react';
import type { LoadedMenuProps } from '@/components/ui/deferred-dropdown-menu';
import {
  DropdownMenuDeferredRoot,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
} from '@/components/ui/dropdown-menu';
import { loginHref } from '@/lib/auth/paths';
import type { SessionUser } from '@/lib/server/session/session';
import { MENU_PLACEMENT, type UserButtonLayout } from './user-button-trigger';

export type UserButtonMenuProps = {
  user: Pick<SessionUser, 'name' | 'email' | 'organizationId'>;
  displayName: string;
  dashboardHref: string;
  layout: UserButtonLayout;
  /** The id of the sign-out form, which lives outside the menu (./user-button.tsx). */
  signOutFormId: string;
  children?: React.ReactNode;
};

/**
 * The UserButton's menu, one for every layout, loaded when the user reaches for the button
 * (./user-button.tsx).
 */
function UserButtonMenu({
  user,
  displayName,
  dashboardHref,
  layout,
  signOutFormId,
  children,
  ...menu
}: LoadedMenuProps & UserButtonMenuProps) {
  const pathname = usePathname();
  return (
    <DropdownMenuDeferredRoot {...menu} {...MENU_PLACEMENT[layout]} className="w-64">
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
        <button type="submit" form={signOutFormId} className="w-full">
          <LogOutIcon />
          Sign out
        </button>
      </DropdownMenuItem>
    </DropdownMenuDeferredRoot>
  );
}

export { UserButtonMenu };
