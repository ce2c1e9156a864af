import { getSession } from '@/lib/server/session/session';

/**
 * Renders its children only when nobody is signed in. An expired session that is being renewed
 * is neither signed in nor out: <AuthLoading> covers that moment.
 */
async function SignedOut({ children }: { children: React.ReactNode }) {
  const session = await getSession();
  return session.status === 'unauthenticated' ? children : null;
}

export { SignedOut };
