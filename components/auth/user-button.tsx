'use client';

import * as React from 'react';
import { DeferredDropdownMenu } from '@/components/ui/deferred-dropdown-menu';
import { useHydrated } from '@/hooks/use-hydrated';
import { useSession } from './session-provider';
import type { UserButtonMenuProps } from './user-button-menu';
import { UserButtonTrigger, type UserButtonLayout } from './user-button-trigger';

// Performance: the menu (Radix, positioning, items) is not part of any page's first load; it
// arrives when the user reaches for the button (components/ui/deferred-dropdown-menu.tsx).
const loadMenu = () => import('./user-button-menu').then((m) => m.UserButtonMenu);

/**
 * The signed-in user's menu: avatar (or initials), name, email, organization, a dashboard link
 * and sign-out. Renders nothing when nobody is signed in; wrap it in <SignedIn> to also skip its
 * code on signed-out pages. One menu for every layout (./user-button-menu.tsx); only the trigger
 * and where the menu opens differ (./user-button-trigger.tsx).
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
  if (!user) return null;
  const displayName = user.name ?? user.email ?? 'Your account';

  return (
    <>
      {/* Outside the menu, so the menu holds only menu items; the item below submits it. A POST,
          never a link: links get prefetched and can be triggered from other sites. */}
      <form id={formId} action="/logout" method="post" hidden />
      <DeferredDropdownMenu<UserButtonMenuProps>
        load={loadMenu}
        menuProps={{ user, displayName, dashboardHref, layout, signOutFormId: formId, children }}
        trigger={
          <UserButtonTrigger
            layout={layout}
            user={user}
            imageUrl={imageUrl}
            aria-label={`Account menu for ${displayName}`}
            aria-disabled={!hydrated || undefined}
            data-testid="user-button"
          />
        }
      />
    </>
  );
}

export { UserButton };
