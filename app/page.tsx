import Link from 'next/link';
import { SignInButton } from '@/components/auth/sign-in-button';
import { SignUpButton } from '@/components/auth/sign-up-button';
import { SignedIn } from '@/components/auth/signed-in';
import { SignedOut } from '@/components/auth/signed-out';
import { Button } from '@/components/ui/button';

const FEATURES = [
  ['Hosted login', 'Sign-in and sign-up happen on Scalekit’s page: SSO, social, passwordless.'],
  ['Encrypted sessions', 'Tokens live in sealed, HttpOnly cookies and are verified on the server.'],
  ['Components', 'Sign-in buttons, a user menu and signed-in/out gates, built on shadcn/ui.'],
  ['Your own API', 'Short-lived access tokens any backend can verify against the IdP’s keys.'],
] as const;

export default function HomePage() {
  return (
    <div className="space-y-10">
      <section className="space-y-6">
        <h1 className="text-3xl font-semibold tracking-tight">Scalekit hosted login for Next.js</h1>
        <p className="max-w-2xl text-muted-foreground">
          Sign-in happens on Scalekit&apos;s hosted page. This app keeps the tokens it gets back in
          encrypted, HttpOnly cookies, verifies them in Server Components, and rotates them before
          they expire. Run it without an account: a local IdP stands in for Scalekit.
        </p>
        <div className="flex flex-wrap gap-3" data-testid="hero-actions">
          <SignedOut>
            <SignInButton mode="redirect" size="lg" returnTo="/dashboard">
              Sign in
            </SignInButton>
            <SignUpButton variant="outline" size="lg" returnTo="/dashboard">
              Create an account
            </SignUpButton>
          </SignedOut>
          <SignedIn>
            <Button asChild size="lg">
              <Link href="/dashboard">Go to your dashboard</Link>
            </Button>
          </SignedIn>
        </div>
      </section>
      <section className="grid gap-4 sm:grid-cols-2">
        {FEATURES.map(([title, text]) => (
          <div key={title} className="rounded-lg border p-4">
            <h2 className="font-medium">{title}</h2>
            <p className="mt-1 text-sm text-muted-foreground">{text}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
