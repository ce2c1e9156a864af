'use client';

import { Slot } from '@radix-ui/react-slot';
import { usePathname } from 'next/navigation';
import * as React from 'react';
import { useHydrated } from '@/hooks/use-hydrated';
import { loginHref } from '@/lib/auth/paths';
import { useAuthDialog, type AuthView } from './auth-dialog';

/**
 * What makes an element a sign-in or sign-up button, applied to the one element it wraps (the
 * markup comes from ./auth-button.tsx, rendered wherever that is, the server included):
 * - `link`: the element is an <a>; it gets the hosted page's URL for this page as its href.
 * - `modal`: a click opens the auth dialog, whose code is fetched as soon as a pointer or focus
 *   reaches the element. Until hydration the element says it is not ready (aria-disabled).
 * - `redirect`: a click goes to the hosted page (a custom element that is not a link).
 */
function AuthButtonBehavior({
  view,
  action,
  returnTo,
  children,
  ...props
}: {
  view: AuthView;
  action: 'link' | 'modal' | 'redirect';
  returnTo?: string;
  children: React.ReactElement;
} & React.HTMLAttributes<HTMLElement>) {
  const dialog = useAuthDialog();
  const hydrated = useHydrated();
  const pathname = usePathname();
  const href = loginHref({
    returnTo: returnTo ?? pathname,
    prompt: view === 'sign-up' ? 'create' : undefined,
  });

  if (action === 'link') {
    return (
      <Slot {...props} {...{ href }}>
        {children}
      </Slot>
    );
  }

  // Slot calls the element's own handler first: one that calls preventDefault() keeps the click.
  const onClick = (event: React.MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented) return;
    if (action === 'modal') dialog.open(view, returnTo ? { returnTo } : undefined);
    else window.location.assign(href);
  };
  const preload = action === 'modal' ? dialog.preload : undefined;
  return (
    <Slot
      aria-disabled={!hydrated || undefined}
      {...props}
      onPointerEnter={preload}
      onFocus={preload}
      onClick={onClick}
    >
      {children}
    </Slot>
  );
}

export { AuthButtonBehavior };
