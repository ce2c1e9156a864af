'use client';

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
  // The defaults live here, with the rest of the dialog's code, not in every page's first load.
  appName = DEFAULT_APP_NAME,
  socialProviders = DEFAULT_SOCIAL_PROVIDERS,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  view: AuthView;
  onViewChange: (view: AuthView) => void;
  returnTo?: string;
  appName?: string;
  socialProviders?: readonly SocialProvider[];
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

export { AuthDialog };
