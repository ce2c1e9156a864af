import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import type { Metadata } from 'next';
import Link from 'next/link';
import { SessionRefresher } from '@/components/auth/session-refresher';
import { SiteHeaderAuth } from '@/components/auth/site-header-auth';
import './globals.css';

export const metadata: Metadata = {
  title: 'Scalekit hosted login for Next.js',
  description: 'A Next.js App Router starter for Scalekit hosted login with encrypted sessions.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans antialiased">
        <header className="border-b">
          <div className="mx-auto flex h-14 max-w-4xl items-center justify-between px-4">
            <Link href="/" className="font-semibold">
              Acme
            </Link>
            <SiteHeaderAuth />
          </div>
        </header>
        <main className="mx-auto max-w-4xl px-4 py-10">{children}</main>
        <SessionRefresher />
      </body>
    </html>
  );
}
