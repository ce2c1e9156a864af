'use client';

import * as React from 'react';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { SocialProvider } from '@/lib/auth/paths';
import { authViewCopy, DEFAULT_APP_NAME, otherView, type AuthView } from '@/lib/auth/sign-in-page';
import { DEFAULT_SOCIAL_PROVIDERS } from '@/lib/auth/social';
import { AuthChoices } from './auth-choices';

export type { AuthView };
export type OpenAuthDialogOptions = {
  /** Where to come back after signing in. Defaults to the current page. */
  returnTo?: string;
};

type AuthDialogContextValue = {
  isOpen: boolean;
  view: AuthView;
  open: (view?: AuthView, options?: OpenAuthDialogOptions) => void;
  close: () => void;
};

const AuthDialogContext = React.createContext<AuthDialogContextValue | null>(null);

const currentPath = () => window.location.pathname + window.location.search;

/**
 * Mounts the one sign-in/sign-up dialog of the app and lets anything below open it:
 * <SignInButton>, <SignUpButton>, or `useAuthDialog().open('sign-up')`.
 */
function AuthDialogProvider({
  children,
  appName = DEFAULT_APP_NAME,
  socialProviders = DEFAULT_SOCIAL_PROVIDERS,
}: {
  children: React.ReactNode;
  appName?: string;
  /** Social connections enabled in your Scalekit environment; [] hides the buttons. */
  socialProviders?: readonly SocialProvider[];
}) {
  const [state, setState] = React.useState<{ open: boolean; view: AuthView; returnTo?: string }>({
    open: false,
    view: 'sign-in',
  });
  // The dialog is opened by state, not by a Radix <DialogTrigger>, so Radix does not know where
  // focus should go back to on close; remember the element that opened it.
  const opener = React.useRef<HTMLElement | null>(null);
  const open = React.useCallback((view: AuthView = 'sign-in', options?: OpenAuthDialogOptions) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setState({ open: true, view, returnTo: options?.returnTo ?? currentPath() });
  }, []);
  const close = React.useCallback(() => setState((s) => ({ ...s, open: false })), []);
  const value = React.useMemo(
    () => ({ isOpen: state.open, view: state.view, open, close }),
    [state.open, state.view, open, close],
  );
  return (
    <AuthDialogContext.Provider value={value}>
      {children}
      <AuthDialog
        open={state.open}
        onOpenChange={(next) => (next ? setState((s) => ({ ...s, open: true })) : close())}
        view={state.view}
        onViewChange={(view) => setState((s) => ({ ...s, view }))}
        returnTo={state.returnTo}
        appName={appName}
        socialProviders={socialProviders}
        onCloseAutoFocus={(event) => {
          if (opener.current?.isConnected) {
            event.preventDefault();
            opener.current.focus();
          }
        }}
      />
    </AuthDialogContext.Provider>
  );
}

function useAuthDialog(): AuthDialogContextValue {
  const value = React.useContext(AuthDialogContext);
  if (!value) throw new Error('useAuthDialog() must be used inside <AuthDialogProvider>.');
  return value;
}

/**
 * The dialog itself. Sign-in happens on the hosted page; this only picks how to get there, with
 * the same choices as the /sign-in page (./auth-choices.tsx).
 */
function AuthDialog({
  open,
  onOpenChange,
  view,
  onViewChange,
  returnTo,
  appName,
  socialProviders,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  view: AuthView;
  onViewChange: (view: AuthView) => void;
  returnTo?: string;
  appName: string;
  socialProviders: readonly SocialProvider[];
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const copy = authViewCopy(view, appName);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        className="sm:max-w-sm"
        data-testid="auth-dialog"
        onCloseAutoFocus={onCloseAutoFocus}
      >
        <DialogHeader>
          <DialogTitle>{copy.title}</DialogTitle>
          <DialogDescription>{copy.description}</DialogDescription>
        </DialogHeader>

        <AuthChoices view={view} returnTo={returnTo} socialProviders={socialProviders} />

        <p className="text-center text-sm text-muted-foreground">
          {copy.switchPrompt}{' '}
          <button
            type="button"
            className="font-medium text-foreground underline underline-offset-4"
            onClick={() => onViewChange(otherView(view))}
          >
            {copy.switchLabel}
          </button>
        </p>
      </DialogContent>
    </Dialog>
  );
}

export { AuthDialog, AuthDialogProvider, useAuthDialog };
