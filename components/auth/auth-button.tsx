'use client';

import { Slot } from '@radix-ui/react-slot';
import { usePathname } from 'next/navigation';
import * as React from 'react';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/hooks/use-hydrated';
import { loginHref } from '@/lib/auth/paths';
import { useAuthDialog, type AuthView } from './auth-dialog';

export type AuthButtonProps = React.ComponentProps<typeof Button> & {
  /** 'modal' opens the auth dialog; 'redirect' goes straight to the hosted page. */
  mode?: 'modal' | 'redirect';
  /** Where to come back after signing in. Defaults to the current page. */
  returnTo?: string;
};

const BUTTON_ONLY = new Set([
  'type',
  'disabled',
  'form',
  'formAction',
  'formMethod',
  'name',
  'value',
]);

/** Shared by SignInButton and SignUpButton; `view` decides which hosted page it asks for. */
function AuthButton({
  view,
  mode = 'modal',
  returnTo,
  asChild = false,
  variant,
  size,
  onClick,
  onPointerEnter,
  onFocus,
  children,
  ...props
}: AuthButtonProps & { view: AuthView }) {
  const dialog = useAuthDialog();
  const hydrated = useHydrated();
  const pathname = usePathname();
  const href = loginHref({
    returnTo: returnTo ?? pathname,
    prompt: view === 'sign-up' ? 'create' : undefined,
  });

  // Redirect mode without a custom child is a real link: it works before hydration and
  // without JavaScript, and opens in a new tab like any link.
  if (mode === 'redirect' && !asChild) {
    // Button-only attributes (type, disabled, form…) mean nothing on a link.
    const linkProps = Object.fromEntries(
      Object.entries({ ...props, onPointerEnter, onFocus }).filter(
        ([key]) => !BUTTON_ONLY.has(key),
      ),
    ) as React.ComponentProps<'a'>;
    return (
      <Button asChild variant={variant} size={size}>
        <a href={href} {...linkProps}>
          {children}
        </a>
      </Button>
    );
  }

  function handleClick(event: React.MouseEvent<HTMLButtonElement>) {
    onClick?.(event);
    if (event.defaultPrevented) return;
    if (mode === 'modal') dialog.open(view, returnTo ? { returnTo } : undefined);
    else window.location.assign(href);
  }

  // The dialog's code arrives when the user reaches for a button that opens it.
  const intent = {
    onPointerEnter: (event: React.PointerEvent<HTMLButtonElement>) => {
      onPointerEnter?.(event);
      if (mode === 'modal') dialog.preload();
    },
    onFocus: (event: React.FocusEvent<HTMLButtonElement>) => {
      onFocus?.(event);
      if (mode === 'modal') dialog.preload();
    },
  };

  // The dialog needs JavaScript: until hydration the button says it is not ready yet.
  // asChild: the child (say, your own <Button>) is the one and only button; no nesting.
  if (asChild) {
    return (
      <Slot aria-disabled={!hydrated || undefined} {...props} {...intent} onClick={handleClick}>
        {children}
      </Slot>
    );
  }
  return (
    <Button
      aria-disabled={!hydrated || undefined}
      {...props}
      variant={variant}
      size={size}
      {...intent}
      onClick={handleClick}
    >
      {children}
    </Button>
  );
}

export { AuthButton };
