import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import type { SocialProvider } from '@/lib/auth/paths';
import {
  authViewCopy,
  DEFAULT_APP_NAME,
  otherView,
  signInPageHref,
  type AuthView,
} from '@/lib/auth/sign-in-page';
import { DEFAULT_SOCIAL_PROVIDERS } from '@/lib/auth/social';
import { cn } from '@/lib/utils';
import { AuthChoices } from './auth-choices';

/**
 * The sign-in dialog's choices as a card on a page of its own (app/sign-in/page.tsx): a URL to
 * link to and bookmark, and a work-email field password managers can fill. A Server Component:
 * everything but the SSO form's domain hint works without JavaScript. The view switch is a link,
 * so each view has its own address.
 */
function AuthCard({
  view = 'sign-in',
  returnTo,
  appName = DEFAULT_APP_NAME,
  socialProviders = DEFAULT_SOCIAL_PROVIDERS,
  className,
}: {
  view?: AuthView;
  /** Same-origin path to come back to, already checked (lib/auth/sign-in-page.ts). */
  returnTo?: string;
  appName?: string;
  /** Pass the same list as to <AuthProvider>, so the dialog and the page offer the same. */
  socialProviders?: readonly SocialProvider[];
  className?: string;
}) {
  const copy = authViewCopy(view, appName);
  return (
    <Card className={cn('w-full max-w-sm', className)} data-testid="auth-card" data-view={view}>
      <CardHeader>
        {/* The page's own heading: the card is the whole page. */}
        <h1 className="text-lg leading-none font-semibold">{copy.title}</h1>
        <CardDescription>{copy.description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <AuthChoices view={view} returnTo={returnTo} socialProviders={socialProviders} />
        <p className="text-center text-sm text-muted-foreground">
          {copy.switchPrompt}{' '}
          <a
            href={signInPageHref({ view: otherView(view), returnTo })}
            className="font-medium text-foreground underline underline-offset-4"
          >
            {copy.switchLabel}
          </a>
        </p>
      </CardContent>
    </Card>
  );
}

export { AuthCard };
