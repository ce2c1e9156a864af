import { createHmac, randomBytes } from 'node:crypto';

/** A Standard Webhooks signing secret as Scalekit's dashboard shows it. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Signs a body the way Scalekit does (Standard Webhooks): HMAC-SHA256 over `id.timestamp.body`
 * with the base64-decoded part of the secret after `whsec_`, sent as `v1,<base64>`.
 */
export function signWebhook(
  secret: string,
  body: string,
  { id = `msg_${randomBytes(8).toString('hex')}`, timestamp = Math.floor(Date.now() / 1000) } = {},
): Record<string, string> {
  const key = Buffer.from(secret.slice(secret.indexOf('_') + 1), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

/** A `user.logout` event as Scalekit's API reference shows it, for IdP session `sessionId`. */
export function logoutEvent(sessionId: string, userId = 'usr_01HALICE0000000000000001') {
  return JSON.stringify({
    spec_version: '1',
    id: `evt_${randomBytes(8).toString('hex')}`,
    type: 'user.logout',
    object: 'User',
    occurred_at: new Date().toISOString(),
    environment_id: 'env_01HLOCAL0000000000000001',
    data: {
      user: { id: userId, email: 'alice@example.com' },
      user_session: { session_id: sessionId, user_id: userId, status: 'LOGOUT' },
    },
  });
}
