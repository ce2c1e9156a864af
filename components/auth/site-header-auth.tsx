import Link from 'next/link';
import { getSession } from '@/lib/session';
import { SignInLink } from './sign-in-link';
import { SignOutButton } from './sign-out-button';

export async function SiteHeaderAuth() {
  const session = await getSession();
  if (session.status === 'unauthenticated') return <SignInLink />;
  return (
    <div className="flex items-center gap-3 text-sm">
      {session.status === 'authenticated' && (
        <span className="text-muted-foreground" data-testid="header-email">
          {session.user.email}
        </span>
      )}
      <Link href="/dashboard" className="hover:underline">
        Dashboard
      </Link>
      <SignOutButton />
    </div>
  );
}
