'use client';

import { MoonIcon, SunIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { DeferredDropdownMenu } from '@/components/ui/deferred-dropdown-menu';
import { useHydrated } from '@/hooks/use-hydrated';

// Performance: the menu (Radix, positioning, items) is not part of any page's first load; it
// arrives when the user reaches for the toggle (components/ui/deferred-dropdown-menu.tsx).
const loadMenu = () => import('./mode-toggle-menu').then((m) => m.ModeToggleMenu);

/**
 * Light, dark or system. The icon switches with CSS (`dark:`), not with state, so the server
 * render is right before hydration and nothing flickers.
 */
function ModeToggle() {
  const hydrated = useHydrated();
  return (
    <DeferredDropdownMenu
      load={loadMenu}
      trigger={
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label="Theme"
          aria-disabled={!hydrated || undefined}
        >
          <SunIcon className="size-4 scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" />
          <MoonIcon className="absolute size-4 scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0" />
        </Button>
      }
    />
  );
}

export { ModeToggle };
