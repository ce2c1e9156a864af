'use client';

import dynamic from 'next/dynamic';

/**
 * Performance: code only some visitors need, split out of every page's first load. Each is still
 * rendered on the server, so the page paints the same; its chunk is fetched only when a server
 * component actually renders it (a signed-in visitor, an expired access token), and a signed-out
 * visitor never downloads it. Server Components import these instead of the modules themselves.
 */
export const UserButton = dynamic(() => import('./user-button').then((m) => m.UserButton));

export const RenewExpiredSession = dynamic(() =>
  import('./renew-expired-session').then((m) => m.RenewExpiredSession),
);
