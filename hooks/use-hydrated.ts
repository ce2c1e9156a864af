'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False in the server HTML and during hydration, true once React has attached event handlers.
 * Controls that only work with JavaScript use it to mark themselves `aria-disabled` until then:
 * a click in that window would otherwise be swallowed without a word.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
