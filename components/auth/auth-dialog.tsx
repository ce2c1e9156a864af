'use client';

import * as React from 'react';
import type { SocialProvider } from '@/lib/auth/paths';
import type { AuthView } from '@/lib/auth/sign-in-page';

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
  /** Fetch the dialog's code now (a pointer over, or focus on, something that opens it). */
  preload: () => void;
};

const AuthDialogContext = React.createContext<AuthDialogContextValue | null>(null);

// Performance: the dialog (Radix, focus trap, the choices and their logos) is no part of any
// page's first load. It is fetched when something that opens it is pointed at or focused, or at
// the latest when it opens; nothing shows until then, so nothing moves.
const loadDialog = () => import('./auth-dialog-view');
const LazyAuthDialog = React.lazy(() => loadDialog().then((m) => ({ default: m.AuthDialog })));
const preload = () => void loadDialog().catch(() => undefined);

const currentPath = () => window.location.pathname + window.location.search;

/**
 * Mounts the one sign-in/sign-up dialog of the app and lets anything below open it:
 * <SignInButton>, <SignUpButton>, or `useAuthDialog().open('sign-up')`.
 */
function AuthDialogProvider({
  children,
  appName,
  socialProviders,
}: {
  children: React.ReactNode;
  appName?: string;
  /** Social connections enabled in your Scalekit environment; [] hides the buttons. */
  socialProviders?: readonly SocialProvider[];
}) {
  const [state, setState] = React.useState<{
    open: boolean;
    view: AuthView;
    returnTo?: string;
    /** Opened at least once: stays mounted, so closing can animate. */
    mounted?: boolean;
  }>({ open: false, view: 'sign-in' });
  // The dialog is opened by state, not by a Radix <DialogTrigger>, so Radix does not know where
  // focus should go back to on close; remember the element that opened it.
  const opener = React.useRef<HTMLElement | null>(null);
  const open = React.useCallback((view: AuthView = 'sign-in', options?: OpenAuthDialogOptions) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setState({ open: true, view, returnTo: options?.returnTo ?? currentPath(), mounted: true });
  }, []);
  const close = React.useCallback(() => setState((s) => ({ ...s, open: false })), []);
  const value = React.useMemo(
    () => ({ isOpen: state.open, view: state.view, open, close, preload }),
    [state.open, state.view, open, close],
  );
  return (
    <AuthDialogContext.Provider value={value}>
      {children}
      {state.mounted && (
        <React.Suspense fallback={null}>
          <LazyAuthDialog
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
        </React.Suspense>
      )}
    </AuthDialogContext.Provider>
  );
}

function useAuthDialog(): AuthDialogContextValue {
  const value = React.useContext(AuthDialogContext);
  if (!value) throw new Error('useAuthDialog() must be used inside <AuthDialogProvider>.');
  return value;
}

export { AuthDialogProvider, useAuthDialog };
