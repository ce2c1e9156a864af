'use client';

import * as React from 'react';

/** How the user asked for the menu before its code had arrived, if they did. */
export type MenuOpening = 'pointer' | 'keyboard' | null;

/** What a menu loaded by <DeferredDropdownMenu> receives: see DropdownMenuDeferredRoot. */
export type LoadedMenuProps = {
  trigger: React.ReactElement;
  /** Open at once (the user already asked); 'keyboard' also puts focus on the first item. */
  opening: MenuOpening;
  /** The placeholder trigger had focus when it was swapped out: give it to the real one. */
  focusTrigger: boolean;
};

type TriggerProps = React.ComponentProps<'button'> & Record<`data-${string}`, unknown>;

const OPEN_KEYS = new Set(['Enter', ' ', 'ArrowDown']);

/**
 * A dropdown menu whose code (Radix, its positioning engine and the items) is fetched only when
 * the user reaches for it: a pointer over the trigger, focus on it, or a press. Until then the
 * trigger is the same button with the attributes Radix gives a closed menu trigger, so nothing
 * moves and assistive technology announces the same control. A press that comes before the code
 * opens the menu as soon as it arrives, by keyboard with focus on the first item, as Radix does.
 *
 * `load` must be stable (a module-level function), and resolve to a component that renders
 * DropdownMenuDeferredRoot (components/ui/dropdown-menu.tsx).
 */
function DeferredDropdownMenu<P extends object = object>({
  load,
  trigger,
  menuProps,
}: {
  load: () => Promise<React.ComponentType<LoadedMenuProps & P>>;
  trigger: React.ReactElement<TriggerProps>;
  /** Passed on to the loaded menu (its items' data). */
  menuProps?: P;
}) {
  const [Menu, setMenu] = React.useState<React.ComponentType<LoadedMenuProps & P> | null>(null);
  const [opening, setOpening] = React.useState<MenuOpening>(null);
  const loading = React.useRef<Promise<void> | null>(null);
  const hasFocus = React.useRef(false);
  const [focusTrigger, setFocusTrigger] = React.useState(false);

  const preload = React.useCallback(() => {
    loading.current ??= load().then(
      (component) => {
        setFocusTrigger(hasFocus.current);
        setMenu(() => component);
      },
      // A failed fetch (offline, a new deployment) may be retried by the next gesture.
      () => void (loading.current = null),
    );
  }, [load]);

  if (Menu) {
    return (
      <Menu {...(menuProps as P)} trigger={trigger} opening={opening} focusTrigger={focusTrigger} />
    );
  }

  const own = trigger.props;
  return React.cloneElement(trigger, {
    type: 'button',
    'aria-haspopup': 'menu',
    'aria-expanded': false,
    'data-state': 'closed',
    onPointerEnter: (event: React.PointerEvent<HTMLButtonElement>) => {
      own.onPointerEnter?.(event);
      preload();
    },
    onFocus: (event: React.FocusEvent<HTMLButtonElement>) => {
      own.onFocus?.(event);
      hasFocus.current = true;
      preload();
    },
    onBlur: (event: React.FocusEvent<HTMLButtonElement>) => {
      own.onBlur?.(event);
      hasFocus.current = false;
    },
    onPointerDown: (event: React.PointerEvent<HTMLButtonElement>) => {
      own.onPointerDown?.(event);
      // Radix opens on the primary button's press, not on click; so does this.
      if (event.button !== 0 || event.ctrlKey || own['aria-disabled']) return;
      event.preventDefault();
      setOpening('pointer');
      preload();
    },
    onKeyDown: (event: React.KeyboardEvent<HTMLButtonElement>) => {
      own.onKeyDown?.(event);
      if (!OPEN_KEYS.has(event.key) || own['aria-disabled']) return;
      event.preventDefault();
      setOpening('keyboard');
      preload();
    },
  } satisfies TriggerProps);
}

export { DeferredDropdownMenu };
