import 'server-only';
import type { NextRequest } from 'next/server';
import { isSameSiteRequest, jsonNoStore, type AppOrigin } from '@/lib/server/http';
import { readCappedText } from '@/lib/server/capped-body';
import { sessionFromRequest } from '@/lib/server/session/session';
import { analytics } from './analytics';
import { RateLimiter } from './rate-limit';
import { checkBatch, LIMITS } from './validate';

const limiter = new RateLimiter();

const refuse = (status: number, error: string, reason: string, headers?: HeadersInit) =>
  jsonNoStore({ error, reason }, { status, headers });

/**
 * POST /api/events: a browser batch in, stamped with the verified session's user and this
 * server's receive time. Every refusal has a status and a reason, and stores nothing; nothing
 * a client sends can make it answer 5xx.
 */
export async function ingestEvents(request: NextRequest, app: AppOrigin): Promise<Response> {
  // Security: same rule as /logout and /api/refresh: another site's page cannot write events
  // into a signed-in user's history.
  if (!isSameSiteRequest(request, app)) {
    return refuse(403, 'cross_site_request', 'Events are accepted from this site only.');
  }
  const session = await sessionFromRequest(request);
  if (session.status !== 'authenticated') {
    const error = session.status === 'expired' ? 'access_token_expired' : 'unauthenticated';
    return refuse(401, error, 'Only signed-in users send events.');
  }
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return refuse(415, 'unsupported_media_type', 'Send the batch as application/json.');
  }
  let text: string | null;
  try {
    text = await readCappedText(request, LIMITS.bodyBytes);
  } catch {
    return refuse(400, 'invalid_body', 'The body could not be read.');
  }
  if (text === null) {
    return refuse(413, 'payload_too_large', `The body may be at most ${LIMITS.bodyBytes} bytes.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(400, 'invalid_json', 'The body is not valid JSON.');
  }
  const checked = checkBatch(body, app.origin, request.headers.get('user-agent'));
  if (!checked.ok) {
    return refuse(
      checked.status,
      checked.status === 413 ? 'too_many_events' : 'invalid_event',
      checked.reason,
    );
  }
  // Per session (the IdP's session id), so one user's tabs share a budget and another user's
  // flood never spends it.
  const key = session.claims.sid ?? session.user.id;
  const allowed = limiter.take(String(key), checked.events.length);
  if (!allowed.ok) {
    return refuse(429, 'rate_limited', 'Too many events from this session; try again later.', {
      'Retry-After': String(allowed.retryAfter),
    });
  }
  const at = Date.now();
  analytics.record(
    checked.events.map((e) => ({ ...e, userId: session.user.id, source: 'browser' as const, at })),
  );
  return jsonNoStore({ accepted: checked.events.length }, { status: 202 });
}
