import type { NextRequest } from 'next/server';
import { getConfig } from '@/lib/server/config';
import { jsonNoStore } from '@/lib/server/http';
import { handleWebhook, readWebhookBody } from '@/lib/server/sessions/webhook';

let warnedUnset = false;

/**
 * POST /api/webhooks/scalekit: Scalekit's signed events (docs/8-sessions.md). No session needed:
 * the signature is the credential, so the middleware never gates this path.
 */
export async function POST(request: NextRequest) {
  if (!getConfig().webhookSecret) {
    if (!warnedUnset) {
      warnedUnset = true;
      console.warn(
        '[auth] a webhook arrived at /api/webhooks/scalekit but SCALEKIT_WEBHOOK_SECRET is not set: answered 404. Set it to the endpoint signing secret (whsec_...) from the Scalekit dashboard.',
      );
    }
    return jsonNoStore({ error: 'not_found' }, { status: 404 });
  }
  const body = await readWebhookBody(request);
  if (body === null) return jsonNoStore({ error: 'webhook_invalid' }, { status: 413 });
  const answer = await handleWebhook(request.headers, body);
  if (answer.status === 200) return jsonNoStore({ received: true, result: answer.result });
  if (answer.status === 404) return jsonNoStore({ error: 'not_found' }, { status: 404 });
  return jsonNoStore({ error: 'webhook_invalid' }, { status: answer.status });
}
