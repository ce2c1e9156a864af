'use client';

import { MonitorIcon, MoonIcon, SunIcon } from 'lucide-react';
import { useTheme } from 'next-themes';
import {
  DropdownMenuDeferredRoot,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
} from '@/components/ui/dropdown-menu';
import type { LoadedMenuProps } from '@/components/ui/deferred-dropdown-menu';

/** The theme menu itself, loaded when the user reaches for the toggle (./mode-toggle.tsx). */
function ModeToggleMenu(props: LoadedMenuProps) {
  const { theme, setTheme } = useTheme();
  return (
    <DropdownMenuDeferredRoot {...props} align="end">
      <DropdownMenuRadioGroup value={theme ?? 'system'} onValueChange={setTheme}>
        <DropdownMenuRadioItem value="light">
          <SunIcon /> Light
        </DropdownMenuRadioItem>
        <DropdownMenuRadioItem value="dark">
          <MoonIcon /> Dark
        </DropdownMenuRadioItem>
        <DropdownMenuRadioItem value="system">
          <MonitorIcon /> System
        </DropdownMenuRadioItem>
      </DropdownMenuRadioGroup>
    </DropdownMenuDeferredRoot>
  );
}

export { ModeToggleMenu };
