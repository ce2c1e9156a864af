import { Button } from '@/components/ui/button';

/** A plain anchor on purpose: /login is a route handler that redirects to the IdP, not a page. */
export function SignInLink({
  returnTo,
  children = 'Sign in',
  ...props
}: React.ComponentProps<typeof Button> & { returnTo?: string }) {
  const href = returnTo ? `/login?returnTo=${encodeURIComponent(returnTo)}` : '/login';
  return (
    <Button asChild size="sm" {...props}>
      <a href={href}>{children}</a>
    </Button>
  );
}
