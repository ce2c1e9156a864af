'use client';

import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import type { SocialProvider } from '@/lib/auth/paths';
import { authViewCopy, otherView, type AuthView } from '@/lib/auth/sign-in-page';
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

export { AuthDialog };
