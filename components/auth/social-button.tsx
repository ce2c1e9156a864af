import { Slot } from '@radix-ui/react-slot';
import { cva, type VariantProps } from 'class-variance-authority';
import type * as React from 'react';
import { buttonVariants } from '@/components/ui/button';
import { loginHref, type SocialProvider } from '@/lib/auth/paths';
import type { AuthView } from '@/lib/auth/sign-in-page';
import { providerLabel, socialProvider } from '@/lib/auth/social';
import { cn } from '@/lib/utils';
import { ProviderIcon } from './provider-icon';

const socialButtonVariants = cva('[&_svg]:size-4 [&_svg]:shrink-0', {
  variants: {
    display: {
      /** Mark and "Continue with Google", as wide as its container. */
      full: 'w-full',
      /** The mark alone; the label is still there for screen readers. */
      icon: 'size-9 px-0',
    },
  },
  defaultVariants: { display: 'full' },
});

type SocialButtonProps = Omit<React.ComponentProps<'a'>, 'href'> &
  VariantProps<typeof socialButtonVariants> &
  Pick<VariantProps<typeof buttonVariants>, 'variant'> & {
    provider: SocialProvider;
    /** Replaces "Continue with {Provider}". */
    label?: string;
    /** Same-origin path to come back to; /login falls back to /dashboard without one. */
    returnTo?: string;
    /** 'sign-up' asks the hosted page for its sign-up view (`prompt=create`). */
    view?: AuthView;
    /** A specific connection of this provider in your Scalekit environment (`conn_…`). */
    connectionId?: string;
    /** Your own element (a <Link>-like anchor, say) becomes the link; it gets href and classes. */
    asChild?: boolean;
  };

/**
 * One social provider, straight to the hosted page: a plain link to /login with `provider=`,
 * so it works before hydration and without JavaScript, and loads no client code of its own.
 * The login route's allowlist (lib/server/login/start.ts) still checks every hint.
 */
function SocialButton({
  provider: providerProp,
  label,
  returnTo,
  view,
  connectionId,
  display,
  variant = 'outline',
  asChild = false,
  className,
  children,
  ...props
}: SocialButtonProps) {
  const provider = socialProvider(providerProp);
  const text = label ?? `Continue with ${providerLabel(provider)}`;
  const href = loginHref({
    returnTo,
    provider,
    connectionId,
    prompt: view === 'sign-up' ? 'create' : undefined,
  });
  const Comp = asChild ? Slot : 'a';
  const iconOnly = display === 'icon';
  return (
    <Comp
      data-slot="social-button"
      data-provider={provider}
      href={href}
      aria-label={iconOnly ? text : undefined}
      title={iconOnly ? text : undefined}
      className={cn(buttonVariants({ variant }), socialButtonVariants({ display }), className)}
      {...props}
    >
      {asChild ? (
        children
      ) : (
        <>
          <ProviderIcon provider={provider} />
          {!iconOnly && (children ?? text)}
        </>
      )}
    </Comp>
  );
}

export { SocialButton, socialButtonVariants, type SocialButtonProps };
