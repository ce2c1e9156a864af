import { SignInLink } from '@/components/auth/sign-in-link';
import { Button } from '@/components/ui/button';
import { getSession } from '@/lib/session';

export default async function HomePage() {
  const session = await getSession();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-semibold tracking-tight">Scalekit hosted login for Next.js</h1>
      <p className="max-w-2xl text-muted-foreground">
        Sign-in happens on Scalekit&apos;s hosted page. This app keeps the tokens it gets back in
        encrypted, HttpOnly cookies, verifies them in Server Components, and rotates them before
        they expire. Run it without an account: a local IdP stands in for Scalekit.
      </p>
      {session.status === 'unauthenticated' ? (
        <SignInLink size="lg" returnTo="/dashboard">
          Sign in
        </SignInLink>
      ) : (
        <Button asChild size="lg">
          <a href="/dashboard">Go to your dashboard</a>
        </Button>
      )}
    </div>
  );
}
