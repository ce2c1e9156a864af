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
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}

export { ThemeProvider };
