import 'server-only';
import { forbidden } from 'next/navigation';
import type { NextRequest } from 'next/server';
import { authEvent } from '@/lib/server/analytics/analytics';
import { jsonNoStore } from './http';
import {
  getSession,
  requireSession,
  sessionFromRequest,
  type AuthenticatedSession,
} from '@/lib/server/session/session';

/**
 * Authorization from the verified access token's `roles` and `permissions` claims (Scalekit puts
 * the organization's role assignments there). Checks run on the server only: the client-side
 * session is for display, never for deciding access.
 */

export type { AuthenticatedSession };
type Grants = { roles: readonly string[]; permissions: readonly string[] };

/** What a page or route needs. Both given means both are required. */
export type Requirement = { permission?: string; role?: string };

export function meets(user: Grants, need: Requirement): boolean {
  return (
    (need.permission === undefined || user.permissions.includes(need.permission)) &&
    (need.role === undefined || user.roles.includes(need.role))
  );
}

// ---- Server Components (and Server Functions) ----

/** True when someone is signed in and holds the role; for showing or hiding UI. */
export async function hasRole(role: string): Promise<boolean> {
  const session = await getSession();
  return session.status === 'authenticated' && meets(session.user, { role });
}

/** True when someone is signed in and holds the permission; for showing or hiding UI. */
export async function hasPermission(permission: string): Promise<boolean> {
  const session = await getSession();
  return session.status === 'authenticated' && meets(session.user, { permission });
}

/**
 * The session, or an interruption: signed out → sign in (and back to `returnTo`), signed in
 * without the grant → the 403 page (app/forbidden.tsx) with a 403 status.
 */
export async function requireAccess(need: Requirement, returnTo = '/') {
  const session = await requireSession(returnTo);
  if (!meets(session.user, need)) {
    authEvent(session.user.id, 'permission_denied', { ...need });
    forbidden();
  }
  return session;
}

export function requirePermission(permission: string, returnTo = '/') {
  return requireAccess({ permission }, returnTo);
}

export function requireRole(role: string, returnTo = '/') {
  return requireAccess({ role }, returnTo);
}

// ---- Route Handlers ----

export type RouteAuthorization =
  { ok: true; session: AuthenticatedSession } | { ok: false; response: Response };

/**
 * For JSON route handlers, which answer with a status instead of a redirect or a page:
 * 401 when nobody (or an expired session) is signed in, 403 when the grant is missing.
 *
 *   const auth = await authorizeRequest(request, { permission: 'org:write' });
 *   if (!auth.ok) return auth.response;
 */
export async function authorizeRequest(
  request: NextRequest,
  need: Requirement,
): Promise<RouteAuthorization> {
  const session = await sessionFromRequest(request);
  if (session.status !== 'authenticated') {
    const error = session.status === 'expired' ? 'access_token_expired' : 'unauthenticated';
    return { ok: false, response: jsonNoStore({ error }, { status: 401 }) };
  }
  if (!meets(session.user, need)) {
    authEvent(session.user.id, 'permission_denied', { ...need });
    return {
      ok: false,
      response: jsonNoStore({ error: 'forbidden', required: need }, { status: 403 }),
    };
  }
  return { ok: true, session };
}
