import type { Metadata } from 'next';
import { Button } from '@/components/ui/button';
import { safeReturnTo } from '@/lib/auth/paths';

export const metadata: Metadata = { title: 'Continuing…' };

/**
 * A link from another site to a page whose access token has expired reaches /api/refresh as a
 * cross-site request, which may not spend the refresh token. This page asks again from this
 * origin (a meta refresh, so it works without JavaScript); that request is same-origin, rotates
 * the tokens and lands on `returnTo`. It spends nothing itself and goes nowhere but /api/refresh.
 */
export default async function ContinuePage({
  searchParams,
}: {
  searchParams: Promise<{ returnTo?: string | string[] }>;
}) {
  const params = await searchParams;
  const returnTo = safeReturnTo(typeof params.returnTo === 'string' ? params.returnTo : undefined);
  const href = `/api/refresh?returnTo=${encodeURIComponent(returnTo)}&continued=1`;
  return (
    <div className="mx-auto max-w-lg space-y-4" data-testid="auth-continue">
      <meta httpEquiv="refresh" content={`0;url=${href}`} />
      <h1 className="text-2xl font-semibold tracking-tight">Continuing to your page…</h1>
      <p className="text-muted-foreground">Renewing your session. This takes a moment.</p>
      <Button asChild>
        <a href={href}>Continue</a>
      </Button>
    </div>
  );
}
