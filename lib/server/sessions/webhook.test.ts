import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idpSessionRevokedHere } from '@/lib/server/session/session';
import { forgetRevocations, forgetWebhookIds } from '@/lib/server/testing';
import { setAppEnv } from '@/tests/helpers/app-env';
import { logoutEvent, newWebhookSecret, signWebhook } from '@/tests/helpers/webhooks';
import { endedSessionIds, handleWebhook, readWebhookBody, WEBHOOK_MAX_BYTES } from './webhook';

const secret = newWebhookSecret();

beforeAll(() => setAppEnv({ SCALEKIT_WEBHOOK_SECRET: secret }));
afterAll(() => setAppEnv({ SCALEKIT_WEBHOOK_SECRET: undefined }));
afterEach(() => {
  forgetRevocations();
  forgetWebhookIds();
});

const deliver = (body: string, headers: Record<string, string>) =>
  handleWebhook(new Headers(headers), body);

describe('which events end a session', () => {
  it('user.logout ends its user_session, whatever the status case', () => {
    expect(endedSessionIds(JSON.parse(logoutEvent('ses_abc')))).toEqual(['ses_abc']);
  });

  it('a user_session reported revoked or expired by any event type ends too', () => {
    const event = (type: string, status: string) => ({
      type,
      data: { user_session: { session_id: 'ses_x', status } },
    });
    expect(endedSessionIds(event('session.revoked', 'revoked'))).toEqual(['ses_x']);
    expect(endedSessionIds(event('session.expired', 'EXPIRED'))).toEqual(['ses_x']);
    expect(endedSessionIds(event('user.login', 'ACTIVE'))).toEqual([]);
  });

  it('anything else, or a session id of the wrong shape, ends nothing', () => {
    expect(endedSessionIds({ type: 'organization.created', data: {} })).toEqual([]);
    expect(endedSessionIds(null)).toEqual([]);
    expect(
      endedSessionIds({ type: 'user.logout', data: { user_session: { session_id: '../x' } } }),
    ).toEqual([]);
  });
});

describe('a delivery', () => {
  it('signed user.logout: 200, and the IdP session is refused here at once', async () => {
    const body = logoutEvent('ses_webhook1');
    expect(await deliver(body, signWebhook(secret, body))).toEqual({
      status: 200,
      result: 'revoked',
    });
    expect(idpSessionRevokedHere('ses_webhook1')).toBe(true);
  });

  it('the same delivery again (a replay or a retry): acknowledged, not acted on twice', async () => {
    const body = logoutEvent('ses_webhook2');
    const headers = signWebhook(secret, body);
    await deliver(body, headers);
    expect(await deliver(body, headers)).toEqual({ status: 200, result: 'duplicate' });
  });

  it('an unknown event type: 200 and ignored', async () => {
    const body = JSON.stringify({ type: 'organization.sso_enabled', data: {} });
    expect(await deliver(body, signWebhook(secret, body))).toEqual({
      status: 200,
      result: 'ignored',
    });
  });

  it('unsigned, forged, signed with another secret, or stale: 401 and nothing refused', async () => {
    const body = logoutEvent('ses_forged');
    const good = signWebhook(secret, body);
    const cases: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { ...good, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` },
      signWebhook(newWebhookSecret(), body),
      signWebhook(secret, body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      signWebhook(secret, body, { timestamp: Math.floor(Date.now() / 1000) + 301 }),
      { ...good, 'webhook-signature': 'v1,short' },
      { ...good, 'webhook-timestamp': 'yesterday' },
      { ...good, 'webhook-id': 'x'.repeat(300) },
    ];
    for (const headers of cases) expect((await deliver(body, headers)).status).toBe(401);
    // A valid signature over another body does not carry over.
    expect((await deliver(logoutEvent('ses_forged'), good)).status).toBe(401);
    expect(idpSessionRevokedHere('ses_forged')).toBe(false);
  });

  it('signed but not a JSON object: 400', async () => {
    for (const body of ['{not json', '[1,2]', '"text"']) {
      expect((await deliver(body, signWebhook(secret, body))).status).toBe(400);
    }
  });

  it('without SCALEKIT_WEBHOOK_SECRET the endpoint does not exist (404)', async () => {
    setAppEnv({ SCALEKIT_WEBHOOK_SECRET: undefined });
    try {
      const body = logoutEvent('ses_unset');
      expect(await deliver(body, signWebhook(secret, body))).toEqual({ status: 404 });
      expect(idpSessionRevokedHere('ses_unset')).toBe(false);
    } finally {
      setAppEnv({ SCALEKIT_WEBHOOK_SECRET: secret });
    }
  });
});

describe('the body cap', () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request('http://localhost/api/webhooks/scalekit', {
      method: 'POST',
      body,
      headers,
      duplex: 'half',
    } as RequestInit);

  it('reads a body up to the cap', async () => {
    expect(await readWebhookBody(post('x'.repeat(WEBHOOK_MAX_BYTES)))).toHaveLength(
      WEBHOOK_MAX_BYTES,
    );
  });

  it('refuses a declared length over the cap without reading it', async () => {
    expect(
      await readWebhookBody(post('{}', { 'content-length': String(WEBHOOK_MAX_BYTES + 1) })),
    ).toBeNull();
  });

  it('stops a streamed body that runs past the cap (no or false Content-Length)', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(120);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    expect(await readWebhookBody(post(endless))).toBeNull();
    expect(sent).toBeLessThan(WEBHOOK_MAX_BYTES * 2);
  });
});
