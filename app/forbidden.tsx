import Link from 'next/link';
import { Button } from '@/components/ui/button';

/** What forbidden() renders (with a 403 status): signed in, but without the role or permission. */
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg space-y-4" data-testid="forbidden">
      <p className="font-mono text-sm text-muted-foreground">403</p>
      <h1 className="text-2xl font-semibold tracking-tight">
        You don&apos;t have access to this page
      </h1>
      <p className="text-muted-foreground">
        Your account is signed in, but your role in this organization does not include this page. If
        you need it, ask an admin of your organization.
      </p>
      <Button asChild>
        <Link href="/dashboard">Back to your dashboard</Link>
      </Button>
    </div>
  );
}
