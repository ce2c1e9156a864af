import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { authMessage, isKnownAuthCode } from '@/lib/auth/outcomes';
import { safeReturnTo } from '@/lib/auth/paths';

export const metadata: Metadata = { title: 'Sign-in problem' };

/**
 * Where every failed step of the flow lands. It never redirects on its own: sending a failed
 * callback straight back to /login would loop through the IdP.
 */
export default async function AuthErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ code?: string | string[]; returnTo?: string | string[] }>;
}) {
  const params = await searchParams;
  const code = typeof params.code === 'string' ? params.code : undefined;
  const returnTo = safeReturnTo(typeof params.returnTo === 'string' ? params.returnTo : undefined);
  const { title, description } = authMessage(code);
  const retryHref =
    code === 'idp_unavailable' ? returnTo : `/login?returnTo=${encodeURIComponent(returnTo)}`;
  return (
    <div className="mx-auto max-w-lg space-y-4" role="alert" data-testid="auth-error">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="text-muted-foreground">{description}</p>
      <div className="flex gap-3">
        <Button asChild>
          <a href={retryHref}>{code === 'idp_unavailable' ? 'Try again' : 'Sign in again'}</a>
        </Button>
        <Button asChild variant="outline">
          <Link href="/">Home</Link>
        </Button>
      </div>
      {/* Only known codes are echoed: the query string is attacker-controlled text. */}
      {isKnownAuthCode(code) && <p className="text-xs text-muted-foreground">Reference: {code}</p>}
    </div>
  );
}
