import { cva } from 'class-variance-authority';
import { ChevronsUpDownIcon } from 'lucide-react';
import type * as React from 'react';
import { Button } from '@/components/ui/button';
import type { SessionUser } from '@/lib/server/session/session';
import { cn } from '@/lib/utils';
import { UserAvatar } from './user-avatar';

export type UserButtonLayout = 'top-nav' | 'vertical-nav' | 'collapsed';

const triggerVariants = cva('', {
  variants: {
    layout: {
      /** A round avatar for a header. */
      'top-nav': 'rounded-full',
      /** Avatar, name and email across a sidebar's width. */
      'vertical-nav': 'h-auto w-full justify-start gap-2 px-2 py-1.5 text-left font-normal',
      /** The avatar alone, for a sidebar folded down to icons. */
      collapsed: 'size-10 rounded-md',
    },
  },
});

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
}: React.ComponentProps<typeof Button> & {
  layout: UserButtonLayout;
  user: Pick<SessionUser, 'name' | 'email' | 'picture'>;
  imageUrl?: string;
}) {
  const wide = layout === 'vertical-nav';
  return (
    <Button
      variant="ghost"
      size={wide ? 'default' : 'icon'}
      data-layout={layout}
      className={cn(triggerVariants({ layout }), className)}
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
    </Button>
  );
}
