import { cva } from 'class-variance-authority';
import { clsx } from 'clsx';
import { ChevronsUpDownIcon } from 'lucide-react';
import type * as React from 'react';
import type { SessionUser } from '@/lib/server/session/session';
import { UserAvatar } from './user-avatar';

export type UserButtonLayout = 'top-nav' | 'vertical-nav' | 'collapsed';

// Complete class lists per layout (a ghost button's look), not a Button whose size classes a
// className would override: overriding needs cn()'s tailwind-merge, and this trigger is part of
// every signed-in page's first load (docs/5-performance.md).
const triggerVariants = cva(
  'inline-flex items-center gap-2 whitespace-nowrap text-sm transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:pointer-events-none disabled:opacity-50',
  {
    variants: {
      layout: {
        /** A round avatar for a header. */
        'top-nav': 'size-9 justify-center rounded-full font-medium',
        /** Avatar, name and email across a sidebar's width. */
        'vertical-nav': 'h-auto w-full justify-start rounded-md px-2 py-1.5 text-left font-normal',
        /** The avatar alone, for a sidebar folded down to icons. */
        collapsed: 'size-10 justify-center rounded-md font-medium',
      },
    },
  },
);

/**
 * Where each layout opens the menu: below a header button, beside a sidebar. Radix flips it when
 * there is no room (a narrow screen), so it is always on screen.
 */
export const MENU_PLACEMENT = {
  'top-nav': { side: 'bottom', align: 'end' },
  'vertical-nav': { side: 'right', align: 'end', sideOffset: 16 },
  collapsed: { side: 'right', align: 'end', sideOffset: 16 },
} as const satisfies Record<UserButtonLayout, { side: string; align: string; sideOffset?: number }>;

/** The UserButton's trigger in each layout. Radix's DropdownMenuTrigger passes its props on. */
export function UserButtonTrigger({
  layout,
  user,
  imageUrl,
  className,
  ...props
}: React.ComponentProps<'button'> & {
  layout: UserButtonLayout;
  user: Pick<SessionUser, 'name' | 'email' | 'picture'>;
  imageUrl?: string;
}) {
  const wide = layout === 'vertical-nav';
  return (
    <button
      type="button"
      data-slot="button"
      data-layout={layout}
      className={clsx(triggerVariants({ layout }), className)}
      {...props}
    >
      <UserAvatar user={user} imageUrl={imageUrl} fallbackClassName="text-xs" />
      {wide && (
        <>
          <span className="grid min-w-0 flex-1 leading-tight">
            <span className="truncate text-sm font-medium">{user.name ?? user.email}</span>
            {user.name && user.email && (
              <span className="truncate text-xs text-foreground/70">{user.email}</span>
            )}
          </span>
          <ChevronsUpDownIcon aria-hidden className="ml-auto size-4 text-muted-foreground" />
        </>
      )}
    </button>
  );
}
