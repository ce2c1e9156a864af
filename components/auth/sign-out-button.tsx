import { Button } from '@/components/ui/button';

/**
 * Sign out is a POST form, not a link: links get prefetched and crawled, and a GET that signs
 * people out can be triggered from any other site.
 */
export function SignOutButton({
  children = 'Sign out',
  ...props
}: React.ComponentProps<typeof Button>) {
  return (
    <form action="/logout" method="post">
      <Button type="submit" variant="outline" size="sm" {...props}>
        {children}
      </Button>
    </form>
  );
}
