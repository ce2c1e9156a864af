import { createHmac, timingSafeEqual } from 'node:crypto';
import { toWire } from '../events';
import type { Batch, Sink } from './sink';

const TIMEOUT_MS = 5_000;

/** The HMAC key a `whsec_<base64>` secret stands for. */
export function webhookKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`);
  return `v1,${mac.digest('base64')}`;
}

/**
 * What a receiver does (and the tests do): recompute, compare in constant time, refuse stale
 * timestamps so a captured delivery cannot be replayed later.
 */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, ts, body));
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Batches POSTed as JSON, signed the Standard Webhooks way (webhook-id, webhook-timestamp,
 * webhook-signature). The id is the batch's, the same on every retry, so receivers can
 * deduplicate; the timestamp and signature are fresh on each try. Any non-2xx answer is a
 * failure the delivery retries with backoff.
 */
export class WebhookSink implements Sink {
  readonly name = 'webhook';

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async write(batch: Batch): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 'analytics.events',
      timestamp: new Date(timestamp * 1000).toISOString(),
      data: { events: batch.events.map(toWire) },
    });
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': batch.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(this.secret, batch.id, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }
}
