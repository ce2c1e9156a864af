'use client';

import { CircleAlertIcon, InfoIcon, XIcon } from 'lucide-react';
import { usePathname } from 'next/navigation';
import * as React from 'react';
import { clsx } from 'clsx';
import { buttonVariants } from '@/components/ui/button-variants';
import { useHydrated } from '@/hooks/use-hydrated';
import { authMessage, type AuthCode } from '@/lib/auth/outcomes';
import { AUTH_NOTICE_COOKIE } from '@/lib/auth/paths';

type AuthNoticeContextValue = {
  /** The pending outcome's code (see lib/auth/outcomes.ts), or null. */
  notice: AuthCode | null;
  show: (code: AuthCode) => void;
  dismiss: () => void;
};

const AuthNoticeContext = React.createContext<AuthNoticeContextValue | null>(null);

/**
 * Holds the flow outcome to tell the user about: one the server left in the `auth_notice`
 * cookie (e.g. after sign-out), or one client code reports (`useAuthNotice().show(code)`).
 */
function AuthNoticeProvider({
  initialNotice,
  children,
}: {
  initialNotice: AuthCode | null;
  children: React.ReactNode;
}) {
  const [notice, setNotice] = React.useState(initialNotice);
  // A new server notice (after router.refresh or a navigation) replaces the current one.
  const [lastInitial, setLastInitial] = React.useState(initialNotice);
  if (initialNotice !== lastInitial) {
    setLastInitial(initialNotice);
    if (initialNotice) setNotice(initialNotice);
  }

  React.useEffect(() => {
    // Shown once: the cookie that carried it is spent, so a reload does not repeat it.
    if (!initialNotice) return;
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${AUTH_NOTICE_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax${secure}`;
  }, [initialNotice]);

  const value = React.useMemo<AuthNoticeContextValue>(
    () => ({ notice, show: setNotice, dismiss: () => setNotice(null) }),
    [notice],
  );
  return <AuthNoticeContext.Provider value={value}>{children}</AuthNoticeContext.Provider>;
}

function useAuthNotice(): AuthNoticeContextValue {
  const value = React.useContext(AuthNoticeContext);
  if (!value) throw new Error('useAuthNotice() must be used inside <AuthNoticeProvider>.');
  return value;
}

// Outcomes that are news, not problems. Everything else reads as an error.
const INFO_CODES = new Set(['signed_out', 'session_revoked', 'signed_out_everywhere']);

/**
 * A dismissible banner with the readable message for a flow outcome. Without `code` it shows the
 * pending notice from <AuthNoticeProvider>; with `code` it shows that one.
 */
function AuthNotice({
  code: codeProp,
  onDismiss,
  className,
}: {
  code?: string | null;
  onDismiss?: () => void;
  className?: string;
}) {
  const context = React.useContext(AuthNoticeContext);
  const [dismissedCode, setDismissedCode] = React.useState<string | null>(null);
  const pathname = usePathname();
  const hydrated = useHydrated();
  const controlled = codeProp !== undefined;
  const code = controlled ? codeProp : (context?.notice ?? null);
  if (!code || (controlled && dismissedCode === code)) return null;
  // The error page states the outcome itself; a banner saying the same above it is noise.
  if (!controlled && pathname.startsWith('/auth/')) return null;

  const { title, description } = authMessage(code);
  const info = INFO_CODES.has(code);
  const Icon = info ? InfoIcon : CircleAlertIcon;
  const dismiss = () => {
    if (controlled) setDismissedCode(code);
    else context?.dismiss();
    onDismiss?.();
  };

  return (
    <div
      role={info ? 'status' : 'alert'}
      data-slot="auth-notice"
      data-testid="auth-notice"
      data-code={code}
      // clsx, not cn(): this banner is on every page's first load, and tailwind-merge is not
      // worth its weight for additions that never conflict. `className` is appended.
      className={clsx(
        'flex items-start gap-3 rounded-lg border bg-card px-4 py-3 text-sm text-card-foreground',
        !info && 'border-destructive/50',
        className,
      )}
    >
      <Icon
        aria-hidden
        className={clsx(
          'mt-0.5 size-4 shrink-0',
          info ? 'text-muted-foreground' : 'text-destructive',
        )}
      />
      <div className="flex-1 space-y-1">
        <p className={clsx('font-medium', !info && 'text-destructive')}>{title}</p>
        <p className="text-muted-foreground">{description}</p>
      </div>
      <button
        type="button"
        data-slot="button"
        className={clsx(buttonVariants({ variant: 'ghost', size: 'icon-sm' }), '-my-1 -mr-2')}
        aria-label="Dismiss"
        aria-disabled={!hydrated || undefined}
        onClick={dismiss}
      >
        <XIcon />
      </button>
    </div>
  );
}

export { AuthNotice, AuthNoticeProvider, useAuthNotice };
