import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import type { Metadata } from 'next';
import { AuthNotice } from '@/components/auth/auth-notice';
import { AuthProvider } from '@/components/auth/auth-provider';
import { SiteHeader } from '@/components/site-header';
import { ThemeProvider } from '@/components/theme-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'Scalekit hosted login for Next.js',
  description: 'A Next.js App Router starter for Scalekit hosted login with encrypted sessions.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // next-themes sets the theme class on <html> before React hydrates; that difference from
    // the server HTML is expected, hence suppressHydrationWarning (it covers this element only).
    <html
      lang="en"
      className={`${GeistSans.variable} ${GeistMono.variable}`}
      suppressHydrationWarning
    >
      <body className="min-h-screen font-sans antialiased">
        <ThemeProvider>
          <AuthProvider>
            <SiteHeader />
            <main className="mx-auto max-w-4xl px-4 py-10">
              <AuthNotice className="mb-6" />
              {children}
            </main>
          </AuthProvider>
        </ThemeProvider>
      </body>
    </html>
  );
}
