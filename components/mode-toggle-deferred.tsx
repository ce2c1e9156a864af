'use client';

import * as React from 'react';
import { DeferredDropdownMenu } from '@/components/ui/deferred-dropdown-menu';
import { useHydrated } from '@/hooks/use-hydrated';

// Performance: the menu (Radix, positioning, items) is not part of any page's first load; it
// arrives when the user reaches for the toggle (components/ui/deferred-dropdown-menu.tsx).
const loadMenu = () => import('./mode-toggle-menu').then((m) => m.ModeToggleMenu);

/** The theme menu around a trigger rendered elsewhere (./mode-toggle.tsx). */
function ModeToggleDeferred({ trigger }: { trigger: React.ReactElement }) {
  const hydrated = useHydrated();
  return (
    <DeferredDropdownMenu
      load={loadMenu}
      trigger={React.cloneElement(trigger as React.ReactElement<{ 'aria-disabled'?: boolean }>, {
        'aria-disabled': !hydrated || undefined,
      })}
    />
  );
}

export { ModeToggleDeferred };
