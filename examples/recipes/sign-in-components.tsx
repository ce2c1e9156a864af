import { AuthCard } from '@/components/auth/auth-card';
import { SocialButton } from '@/components/auth/social-button';
import { UserButton } from '@/components/auth/user-button';
import { signInReturnTo } from '@/lib/auth/sign-in-page';

// Recipes (docs/2-components.md); not used by the app, type-checked with it. Server Components:
// none of these needs a 'use client' of its own.

/** One provider, straight to the hosted page; a row of marks; your own anchor as the link. */
export function SocialRow() {
  return (
    <>
      <SocialButton provider="google" returnTo="/projects" />
      <SocialButton provider="github" label="Sign in with GitHub" />
      <div className="flex gap-2">
        <SocialButton provider="gitlab" display="icon" />
        <SocialButton provider="linkedin" display="icon" />
        <SocialButton provider="salesforce" display="icon" view="sign-up" />
      </div>
      <SocialButton provider="microsoft" asChild>
        <a className="underline">Use your Microsoft account</a>
      </SocialButton>
    </>
  );
}

/** A sign-up page at an address of your choosing, with marketing copy beside the card. */
export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ returnTo?: string }>;
}) {
  const returnTo = signInReturnTo((await searchParams).returnTo);
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <p>Start your free trial.</p>
      <AuthCard view="sign-up" returnTo={returnTo} socialProviders={['google', 'github']} />
    </div>
  );
}

/** The user menu in a sidebar: full width when open, the avatar alone when folded. */
export function SidebarFooter({ collapsed }: { collapsed: boolean }) {
  return <UserButton layout={collapsed ? 'collapsed' : 'vertical-nav'} />;
}
