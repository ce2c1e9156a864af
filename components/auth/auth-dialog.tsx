'use client';

import * as React from 'react';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { emailDomain, loginHref, type SocialProvider } from '@/lib/auth/paths';

export type AuthView = 'sign-in' | 'sign-up';
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

const PROVIDER_LABELS: Record<SocialProvider, string> = {
  google: 'Google',
  github: 'GitHub',
  microsoft: 'Microsoft',
  gitlab: 'GitLab',
  linkedin: 'LinkedIn',
  salesforce: 'Salesforce',
};

export const DEFAULT_SOCIAL_PROVIDERS: SocialProvider[] = ['google', 'github', 'microsoft'];

const currentPath = () => window.location.pathname + window.location.search;

/**
 * Mounts the one sign-in/sign-up dialog of the app and lets anything below open it:
 * <SignInButton>, <SignUpButton>, or `useAuthDialog().open('sign-up')`.
 */
function AuthDialogProvider({
  children,
  appName = 'Acme',
  socialProviders = DEFAULT_SOCIAL_PROVIDERS,
}: {
  children: React.ReactNode;
  appName?: string;
  /** Social connections enabled in your Scalekit environment; [] hides the buttons. */
  socialProviders?: SocialProvider[];
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
 * The dialog itself. Sign-in happens on the hosted page; this only picks how to get there:
 * straight on, with a social provider, or through the organization's SSO found from a work
 * email. Every choice is a plain link to /login, whose allowlist decides what reaches the IdP.
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
  socialProviders: SocialProvider[];
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const signUp = view === 'sign-up';
  const prompt = signUp ? 'create' : undefined;
  const emailId = React.useId();

  function startSso(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    // login_hint prefills the hosted page and lets it find the SSO connection for this user;
    // domain_hint routes by the organization's domain where only that is configured.
    window.location.assign(
      loginHref({ returnTo, loginHint: email, domainHint: emailDomain(email) }),
    );
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        className="sm:max-w-sm"
        data-testid="auth-dialog"
        onCloseAutoFocus={onCloseAutoFocus}
      >
        <DialogHeader>
          <DialogTitle>{signUp ? 'Create your account' : `Sign in to ${appName}`}</DialogTitle>
          <DialogDescription>
            {signUp
              ? 'You will finish signing up on our secure hosted page.'
              : 'You will continue on our secure hosted sign-in page.'}
          </DialogDescription>
        </DialogHeader>

        <Button asChild>
          <a href={loginHref({ returnTo, prompt })}>
            {signUp ? 'Continue to sign up' : 'Continue to sign in'}
          </a>
        </Button>

        {socialProviders.length > 0 && (
          <div className="grid gap-2">
            {socialProviders.map((provider) => (
              <Button key={provider} variant="outline" asChild>
                <a href={loginHref({ returnTo, prompt, provider })}>
                  Continue with {PROVIDER_LABELS[provider]}
                </a>
              </Button>
            ))}
          </div>
        )}

        <div className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden>
          <span className="h-px flex-1 bg-border" />
          or
          <span className="h-px flex-1 bg-border" />
        </div>

        <form onSubmit={startSso} className="grid gap-2" aria-label="Single sign-on">
          <label htmlFor={emailId} className="text-sm font-medium">
            Work email
          </label>
          <Input
            id={emailId}
            name="email"
            type="email"
            autoComplete="email"
            placeholder="you@company.com"
            required
          />
          <Button type="submit" variant="secondary">
            Sign in with SSO
          </Button>
        </form>

        <p className="text-center text-sm text-muted-foreground">
          {signUp ? 'Already have an account?' : 'New here?'}{' '}
          <button
            type="button"
            className="font-medium text-foreground underline underline-offset-4"
            onClick={() => onViewChange(signUp ? 'sign-in' : 'sign-up')}
          >
            {signUp ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </DialogContent>
    </Dialog>
  );
}

export { AuthDialog, AuthDialogProvider, useAuthDialog };
