'use client';

import { useAuthDialog } from '@/components/auth/auth-dialog';
import { SignInButton } from '@/components/auth/sign-in-button';
import { SignUpButton } from '@/components/auth/sign-up-button';
import { Button } from '@/components/ui/button';

// Recipes (docs/2-components.md); not used by the app, type-checked with it.

/** Client-side pieces of a header: your own Button as the trigger, and a plain sign-up link. */
export function HeaderButtons() {
  return (
    <>
      {/* asChild: your Button is the button, no <button> inside a <button>. */}
      <SignInButton asChild>
        <Button variant="ghost">Log in</Button>
      </SignInButton>
      <SignUpButton mode="redirect" returnTo="/welcome" />
    </>
  );
}

/** Any client component can open the sign-in dialog on the view it needs. */
export function PricingCta() {
  const { open } = useAuthDialog();
  return (
    <button onClick={() => open('sign-up', { returnTo: '/billing' })}>Start free trial</button>
  );
}
