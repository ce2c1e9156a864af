import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { parseAuthView, signInReturnTo } from '@/lib/auth/sign-in-page';
import { getSession } from '@/lib/server/session/session';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const view = parseAuthView((await searchParams).view);
  return { title: view === 'sign-up' ? 'Sign up' : 'Sign in' };
}

/** `/sign-in` and `/sign-in?view=sign-up`, both with an optional `returnTo`. */
export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const view = parseAuthView(params.view);
  const returnTo = signInReturnTo(params.returnTo);
  // Already signed in: go where the sign-in would have led.
  if ((await getSession()).status === 'authenticated') redirect(returnTo);
  return (
    <div className="flex justify-center py-6">
      <AuthCard view={view} returnTo={returnTo} />
    </div>
  );
}
