import { MoonIcon, SunIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { ModeToggleDeferred } from './mode-toggle-deferred';

/**
 * Light, dark or system. The icon switches with CSS (`dark:`), not with state, so the server
 * render is right before hydration and nothing flickers. No 'use client': from a Server
 * Component the button and its icons are rendered on the server, and the menu's code arrives
 * when the user reaches for it (./mode-toggle-deferred.tsx).
 */
function ModeToggle() {
  return (
    <ModeToggleDeferred
      trigger={
        <Button variant="ghost" size="icon" className="relative" aria-label="Theme">
          <SunIcon className="size-4 scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" />
          <MoonIcon className="absolute size-4 scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0" />
        </Button>
      }
    />
  );
}

export { ModeToggle };
