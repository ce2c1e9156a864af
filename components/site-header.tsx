import Link from 'next/link';
import { AuthLoading } from '@/components/auth/auth-loading';
import { SignInButton } from '@/components/auth/sign-in-button';
import { SignUpButton } from '@/components/auth/sign-up-button';
import { SignedIn } from '@/components/auth/signed-in';
import { SignedOut } from '@/components/auth/signed-out';
// Signed-in code, loaded only for signed-in visitors (./auth/deferred.tsx).
import { UserButton } from '@/components/auth/deferred';
import { ModeToggle } from '@/components/mode-toggle';
import { Button } from '@/components/ui/button';

export function SiteHeader() {
  return (
    <header className="border-b">
      <div className="mx-auto flex h-14 max-w-4xl items-center justify-between px-4">
        <Link href="/" className="font-semibold">
          Acme
        </Link>
        <div className="flex items-center gap-2">
          <ModeToggle />
          <SignedOut>
            <SignInButton asChild>
              <Button variant="ghost" size="sm">
                Sign in
              </Button>
            </SignInButton>
            <SignUpButton size="sm">Sign up</SignUpButton>
          </SignedOut>
          <SignedIn>
            <UserButton />
          </SignedIn>
          <AuthLoading>
            <span
              className="size-8 animate-pulse rounded-full bg-muted"
              role="status"
              aria-label="Renewing your session"
            />
          </AuthLoading>
        </div>
      </div>
    </header>
  );
}
