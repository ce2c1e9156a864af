'use client';

import { ThemeProvider as NextThemesProvider } from 'next-themes';
import * as React from 'react';

/**
 * next-themes puts `dark` (or nothing) on <html> from an inline script that runs before the page
 * paints, so a dark-mode visitor never sees a light flash. Follows the system until the visitor
 * picks a theme, which is then kept in localStorage.
 */
function ThemeProvider({ children, ...props }: React.ComponentProps<typeof NextThemesProvider>) {
  return (
    <NextThemesProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      scriptProps={themeScriptProps()}
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}

/**
 * The inline script must run from the server's HTML. When React renders the provider on the client
 * instead (the 403 page from forbidden() does), a client-made script never runs anyway, and React
 * warns about it unless its type marks it as data; so the client copy says text/plain.
 * suppressHydrationWarning (set by next-themes) covers the differing attribute.
 */
export function themeScriptProps() {
  return { type: typeof window === 'undefined' ? 'text/javascript' : 'text/plain' };
}

export { ThemeProvider };
