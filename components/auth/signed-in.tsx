import { getSession } from '@/lib/server/session/session';

/**
 * Renders its children only for a signed-in user. A Server Component on purpose: when nobody is
 * signed in the children are never rendered, so nothing inside reaches the browser, not even in
 * the RSC payload. In client components, use `useSession().status` instead.
 */
async function SignedIn({ children }: { children: React.ReactNode }) {
  const session = await getSession();
  return session.status === 'authenticated' ? children : null;
}

export { SignedIn };
