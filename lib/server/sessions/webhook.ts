import 'server-only';
import { getConfig } from '@/lib/server/config';
import { getScalekit } from '@/lib/server/scalekit';
import { readCappedText } from '@/lib/server/capped-body';
import { isSessionIdShape } from './idp-sessions';
import { refuseSessions } from './revoke';
import { claimWebhookId } from './webhook-replay';

/**
 * Scalekit webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`),
 * for revocations made outside this app: the Scalekit dashboard, another app, an idle or
 * absolute timeout. Verified with the SDK on the raw body before anything is parsed.
 */

/** Scalekit's session and user events are a few kilobytes; anything far larger is not one. */
export const WEBHOOK_MAX_BYTES = 64 * 1024;

/** The raw webhook body, or null past WEBHOOK_MAX_BYTES. */
export const readWebhookBody = (request: Request) => readCappedText(request, WEBHOOK_MAX_BYTES);

export type WebhookAnswer =
  /** SCALEKIT_WEBHOOK_SECRET unset: the endpoint does not exist. */
  | { status: 404 }
  | { status: 413 }
  /** Missing, malformed or wrong signature, or a timestamp outside the SDK's ±300 s. */
  | { status: 401 }
  /** Signed, but not a JSON event. */
  | { status: 400 }
  | { status: 200; result: 'revoked' | 'ignored' | 'duplicate' };

const HEADER_LIMITS = { 'webhook-id': 256, 'webhook-timestamp': 20, 'webhook-signature': 2048 };

/** The three signature headers as the SDK reads them (a plain object), or null if unusable. */
function signatureHeaders(headers: Headers): Record<keyof typeof HEADER_LIMITS, string> | null {
  const out = {} as Record<keyof typeof HEADER_LIMITS, string>;
  for (const [name, limit] of Object.entries(HEADER_LIMITS) as [
    keyof typeof HEADER_LIMITS,
    number,
  ][]) {
    const value = headers.get(name);
    if (!value || value.length > limit) return null;
    out[name] = value;
  }
  return out;
}

/** Event types whose IdP session is over by definition. */
const ENDING_TYPES = new Set(['user.logout']);
/** A `user_session` in any of these states is over, whatever event carries it. */
const ENDED_STATUSES = new Set(['revoked', 'logout', 'expired']);

/** The IdP session ids an event reports as ended. */
export function endedSessionIds(event: unknown): string[] {
  if (typeof event !== 'object' || event === null) return [];
  const { type, data } = event as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || typeof data !== 'object' || data === null) return [];
  const session = (data as { user_session?: unknown }).user_session;
  if (typeof session !== 'object' || session === null) return [];
  const { session_id: id, status } = session as { session_id?: unknown; status?: unknown };
  if (!isSessionIdShape(id)) return [];
  const ended =
    ENDING_TYPES.has(type) ||
    (typeof status === 'string' && ENDED_STATUSES.has(status.toLowerCase()));
  return ended ? [id] : [];
}

/**
 * Verifies and acts on one delivery. Security: nothing here logs the secret, the signature or
 * the body; a delivery that fails verification changes nothing and is answered 401.
 */
export async function handleWebhook(headers: Headers, rawBody: string): Promise<WebhookAnswer> {
  const secret = getConfig().webhookSecret;
  if (!secret) return { status: 404 };
  const signed = signatureHeaders(headers);
  if (!signed) return { status: 401 };
  try {
    // Throws on a bad signature, a timestamp outside ±300 s, or malformed headers.
    if (!getScalekit().verifyWebhookPayload(secret, signed, rawBody)) return { status: 401 };
  } catch {
    return { status: 401 };
  }
  let event: unknown;
  try {
    event = JSON.parse(rawBody);
  } catch {
    return { status: 400 };
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return { status: 400 };
  if (!(await claimWebhookId(signed['webhook-id']))) return { status: 200, result: 'duplicate' };
  const ended = endedSessionIds(event);
  if (ended.length === 0) return { status: 200, result: 'ignored' };
  // Scalekit has ended these sessions itself: refusing their ids can never lock out a new
  // sign-in, which gets a session id of its own.
  await refuseSessions({ idpSids: ended });
  return { status: 200, result: 'revoked' };
}
