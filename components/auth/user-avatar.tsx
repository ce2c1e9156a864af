import * as AvatarPrimitive from '@radix-ui/react-avatar';
import { cva } from 'class-variance-authority';
import { clsx } from 'clsx';
import type { SessionUser } from '@/lib/server/session/session';

export function initials(user: Pick<SessionUser, 'name' | 'email'>): string {
  const words = (user.name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length > 0) {
    return words
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('');
  }
  return (user.email?.[0] ?? '?').toUpperCase();
}

// The Radix Avatar with shadcn's avatar styles, sized by variant rather than by a className that
// would need cn()'s tailwind-merge to override: this avatar is part of every signed-in page's
// first load, and tailwind-merge would be most of its weight (docs/5-performance.md).
const avatarVariants = cva('relative flex shrink-0 overflow-hidden rounded-full', {
  variants: { size: { default: 'size-8', lg: 'size-10' } },
  defaultVariants: { size: 'default' },
});

/**
 * The user's picture from the ID token (already limited to http(s) URLs by lib/server/session/session.ts), with
 * their initials while it loads or when there is none. Usable from Server and Client Components.
 * The image may live on another origin: a Content-Security-Policy needs `img-src https:`.
 */
export function UserAvatar({
  user,
  imageUrl,
  size,
  className,
  fallbackClassName,
}: {
  user: Pick<SessionUser, 'name' | 'email' | 'picture'>;
  /** Overrides the ID token's picture. */
  imageUrl?: string;
  size?: 'default' | 'lg';
  /** Added to the root (margins, borders); size it with `size`. */
  className?: string;
  fallbackClassName?: string;
}) {
  const src = imageUrl ?? user.picture;
  return (
    <AvatarPrimitive.Root
      data-slot="avatar"
      className={clsx(avatarVariants({ size }), className)}
      data-testid="user-avatar"
    >
      {/* No referrer: the picture's host need not learn which app page shows it. */}
      {src && (
        <AvatarPrimitive.Image
          data-slot="avatar-image"
          className="aspect-square size-full"
          src={src}
          alt=""
          referrerPolicy="no-referrer"
        />
      )}
      <AvatarPrimitive.Fallback
        data-slot="avatar-fallback"
        className={clsx(
          'flex size-full items-center justify-center rounded-full bg-muted font-medium',
          fallbackClassName,
        )}
      >
        {initials(user)}
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  );
}
