import { Button } from '@/components/ui/button';
import { loginHref, type SocialProvider } from '@/lib/auth/paths';
import { authViewCopy, type AuthView } from '@/lib/auth/sign-in-page';
import { SocialButton } from './social-button';
import { SsoForm } from './sso-form';

/**
 * The ways to the hosted page, in one list for the sign-in dialog and the /sign-in card: straight
 * on, with a social provider, or through the organization's SSO found from a work email. Every
 * choice is a request to /login, whose allowlist decides what reaches the IdP. No hooks, so it
 * renders as a Server Component on /sign-in and inside the client dialog alike.
 */
function AuthChoices({
  view,
  returnTo,
  socialProviders,
}: {
  view: AuthView;
  returnTo?: string;
  socialProviders: readonly SocialProvider[];
}) {
  const copy = authViewCopy(view);
  return (
    <>
      <Button asChild>
        <a href={loginHref({ returnTo, prompt: copy.prompt })}>{copy.continueLabel}</a>
      </Button>

      {socialProviders.length > 0 && (
        <div className="grid gap-2">
          {socialProviders.map((provider) => (
            <SocialButton key={provider} provider={provider} view={view} returnTo={returnTo} />
          ))}
        </div>
      )}

      <div className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden>
        <span className="h-px flex-1 bg-border" />
        or
        <span className="h-px flex-1 bg-border" />
      </div>

      <SsoForm returnTo={returnTo} />
    </>
  );
}

export { AuthChoices };
