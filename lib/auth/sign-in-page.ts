import { AUTH_PATHS, DEFAULT_RETURN_TO, safeReturnTo, type LoginPrompt } from './paths';

/**
 * The two views of the sign-in choices, shared by the dialog (components/auth/auth-dialog.tsx)
 * and the /sign-in page's card (components/auth/auth-card.tsx), and the page's query. No
 * server-only import: both render in the browser too.
 */
export type AuthView = 'sign-in' | 'sign-up';

/** `/sign-in?view=sign-up` shows the sign-up view; anything else (or nothing) sign-in. */
export function parseAuthView(value: unknown): AuthView {
  return value === 'sign-up' ? 'sign-up' : 'sign-in';
}

// Landing on one of these after signing in would start another sign-in or end the new session.
const NOT_A_DESTINATION = new Set<string>([AUTH_PATHS.signIn, AUTH_PATHS.login, AUTH_PATHS.logout]);

/**
 * Where /sign-in sends the visitor once signed in: their `returnTo` when it is a safe same-origin
 * path (lib/auth/paths.ts), else the default. A repeated parameter (an array) is ambiguous and
 * gets the default too.
 */
export function signInReturnTo(value: unknown): string {
  const target = safeReturnTo(value);
  const path = new URL(target, 'http://app.invalid').pathname.replace(/(.)\/+$/, '$1');
  // Security: a signed-in visitor is redirected straight to this; /sign-in itself would loop.
  return NOT_A_DESTINATION.has(path) ? DEFAULT_RETURN_TO : target;
}

/** A link to the /sign-in page in one of its views, keeping where to come back to. */
export function signInPageHref(options: { view?: AuthView; returnTo?: string } = {}): string {
  const query = new URLSearchParams();
  if (options.view === 'sign-up') query.set('view', 'sign-up');
  if (options.returnTo) query.set('returnTo', options.returnTo);
  const qs = query.toString();
  return qs ? `${AUTH_PATHS.signIn}?${qs}` : AUTH_PATHS.signIn;
}

/** The name the sign-in title uses unless the dialog or card is given another. */
export const DEFAULT_APP_NAME = 'Acme';

/** The words of each view, so the dialog and the card say the same thing. */
export function authViewCopy(view: AuthView, appName: string = DEFAULT_APP_NAME) {
  return view === 'sign-up'
    ? {
        title: 'Create your account',
        description: 'You will finish signing up on our secure hosted page.',
        continueLabel: 'Continue to sign up',
        switchPrompt: 'Already have an account?',
        switchLabel: 'Sign in',
        prompt: 'create' as LoginPrompt,
      }
    : {
        title: `Sign in to ${appName}`,
        description: 'You will continue on our secure hosted sign-in page.',
        continueLabel: 'Continue to sign in',
        switchPrompt: 'New here?',
        switchLabel: 'Create an account',
        prompt: undefined,
      };
}

export const otherView = (view: AuthView): AuthView => (view === 'sign-up' ? 'sign-in' : 'sign-up');
