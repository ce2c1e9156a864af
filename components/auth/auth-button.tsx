import type * as React from 'react';
import { Button } from '@/components/ui/button';
import type { AuthView } from './auth-dialog';
import { AuthButtonBehavior } from './auth-button-behavior';

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

/**
 * Shared by SignInButton and SignUpButton; `view` decides which hosted page it asks for. No
 * 'use client': rendered from a Server Component, the button's markup (and its styles) is built
 * on the server, and only the small behaviour (./auth-button-behavior.tsx) ships to the browser.
 */
function AuthButton({
  view,
  mode = 'modal',
  returnTo,
  asChild = false,
  variant,
  size,
  children,
  ...props
}: AuthButtonProps & { view: AuthView }) {
  // asChild: the child (say, your own <Button>) is the one and only element; no nesting.
  if (asChild) {
    return (
      <AuthButtonBehavior view={view} action={mode} returnTo={returnTo} {...props}>
        {children as React.ReactElement}
      </AuthButtonBehavior>
    );
  }
  // Redirect mode is a real link: it works before hydration and without JavaScript, and opens
  // in a new tab like any link. Button-only attributes (type, disabled, form…) mean nothing on it.
  if (mode === 'redirect') {
    const linkProps = Object.fromEntries(
      Object.entries(props).filter(([key]) => !BUTTON_ONLY.has(key)),
    ) as React.ComponentProps<'a'>;
    return (
      <AuthButtonBehavior view={view} action="link" returnTo={returnTo}>
        <Button asChild variant={variant} size={size}>
          <a {...linkProps}>{children}</a>
        </Button>
      </AuthButtonBehavior>
    );
  }
  return (
    <AuthButtonBehavior view={view} action="modal" returnTo={returnTo}>
      <Button {...props} variant={variant} size={size}>
        {children}
      </Button>
    </AuthButtonBehavior>
  );
}

export { AuthButton };
