import { Avatar, AvatarFallback, AvatarImage } from '@/components/ui/avatar';
import type { SessionUser } from '@/lib/server/session/session';
import { cn } from '@/lib/utils';

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

/**
 * The user's picture from the ID token (already limited to http(s) URLs by lib/server/session/session.ts), with
 * their initials while it loads or when there is none. Usable from Server and Client Components.
 * The image may live on another origin: a Content-Security-Policy needs `img-src https:`.
 */
export function UserAvatar({
  user,
  imageUrl,
  className,
  fallbackClassName,
}: {
  user: Pick<SessionUser, 'name' | 'email' | 'picture'>;
  /** Overrides the ID token's picture. */
  imageUrl?: string;
  className?: string;
  fallbackClassName?: string;
}) {
  const src = imageUrl ?? user.picture;
  return (
    <Avatar className={className} data-testid="user-avatar">
      {/* No referrer: the picture's host need not learn which app page shows it. */}
      {src && <AvatarImage src={src} alt="" referrerPolicy="no-referrer" />}
      <AvatarFallback className={cn('font-medium', fallbackClassName)}>
        {initials(user)}
      </AvatarFallback>
    </Avatar>
  );
}
