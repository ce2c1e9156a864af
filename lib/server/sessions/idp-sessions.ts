import 'server-only';
import { ScalekitServerException, type ScalekitClient } from '@scalekit-sdk/node';
import { AuthError } from '@/lib/auth/outcomes';
import { getScalekit } from '@/lib/server/scalekit';

/**
 * The Scalekit session API as the account page uses it: the signed-in user's sessions, and
 * revoking them, always on behalf of that user (`userId`: the verified access token's `sub`).
 * Failures come out as AuthError `session_not_found` (404: unknown, or someone else's) or
 * `idp_unavailable` (503: nothing was decided, the caller's session is kept).
 */

type SessionApi = ScalekitClient['session'];
export type IdpSession = Awaited<ReturnType<SessionApi['getUserSessions']>>['sessions'][number];
export type RevokedIdpSession = NonNullable<
  Awaited<ReturnType<SessionApi['revokeSession']>>['revokedSession']
>;

/**
 * The longest a session call may take before the page answers 503. The SDK retries an
 * unreachable IdP with backoff for up to ~7 s and a hung one until its 10 s timeout
 * (lib/server/scalekit.ts); a page should say "try again" sooner.
 */
const CALL_DEADLINE_MS = 5_000;
/** Pages of the user's sessions read at most (100 each): enough for any real person. */
const MAX_PAGES = 5;
const PAGE_SIZE = 100;

// Security: only ids that look like Scalekit's reach the IdP; anything else is "not found"
// without a network call.
const SESSION_ID = /^ses_[A-Za-z0-9]{1,64}$/;
export const isSessionIdShape = (value: unknown): value is string =>
  typeof value === 'string' && SESSION_ID.test(value);

const GRPC_NOT_FOUND = 5;
const GRPC_BAD_REQUEST = new Set([3, 9, 11]);

/** What a session-API failure means for the user: their input, or the IdP's availability. */
export function sessionApiFailure(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof ScalekitServerException) {
    // A malformed or unknown id is the caller's "not found"; everything else (unauthenticated
    // client, rate limit, 5xx, timeout) says nothing about the session and must not end one.
    if (error.grpcStatus === GRPC_NOT_FOUND || GRPC_BAD_REQUEST.has(error.grpcStatus)) {
      return new AuthError('session_not_found', undefined, { cause: error });
    }
  }
  return new AuthError('idp_unavailable', undefined, { cause: error });
}

async function call<T>(run: (api: SessionApi) => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthError('idp_unavailable')), CALL_DEADLINE_MS);
  });
  try {
    return await Promise.race([run(getScalekit().session), deadline]);
  } catch (error) {
    throw sessionApiFailure(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Scalekit's docs write status as `active` and as `ACTIVE`; both mean the same. */
export const isActive = (session: { status: string }) => session.status.toLowerCase() === 'active';

/**
 * The user's active sessions. Filtered here rather than with the API's status filter, whose
 * value case the docs disagree on (`active` vs `ACTIVE`): a wrong guess would list nothing.
 */
export async function listActiveSessions(userId: string): Promise<IdpSession[]> {
  const active: IdpSession[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await call((api) =>
      api.getUserSessions(userId, { pageSize: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }),
    );
    for (const session of result.sessions) {
      // Security: the API is asked for this user's sessions; a row of anyone else's is dropped.
      if (session.userId === userId && isActive(session)) active.push(session);
    }
    pageToken = result.nextPageToken || undefined;
    if (!pageToken) break;
  }
  return active;
}

/**
 * Security: the owner check before any revoke. The id comes from a form, so it may be anyone's:
 * an id of another user's session is answered exactly like an unknown one (404), never revoked.
 */
export async function assertOwnSession(userId: string, sessionId: unknown): Promise<string> {
  if (!isSessionIdShape(sessionId)) throw new AuthError('session_not_found');
  const details = await call((api) => api.getSession(sessionId));
  if (details.userId !== userId) throw new AuthError('session_not_found');
  return sessionId;
}

/** Revokes one IdP session; the caller has checked that it belongs to the user. */
export async function revokeIdpSession(sessionId: string): Promise<void> {
  await call((api) => api.revokeSession(sessionId));
}

/** Revokes every active session of the user; returns the ids the IdP revoked. */
export async function revokeAllIdpSessions(userId: string): Promise<string[]> {
  const result = await call((api) => api.revokeAllUserSessions(userId));
  return result.revokedSessions.map((s) => s.sessionId).filter(isSessionIdShape);
}
