import type { Session, SessionUser } from '@/lib/server/session/session';

/**
 * The part of the session the browser gets: who is signed in and until when. The raw claims and
 * tokens stay on the server. No server-only import (types only), so client components use it.
 */
export type ClientSession =
  | { status: 'authenticated'; user: SessionUser; expiresAt: number }
  /** The access token expired; /api/refresh can renew it. */
  | { status: 'expired' }
  | { status: 'unauthenticated' };

export function toClientSession(session: Session): ClientSession {
  if (session.status !== 'authenticated') return { status: session.status };
  return { status: 'authenticated', user: session.user, expiresAt: session.expiresAt };
}
