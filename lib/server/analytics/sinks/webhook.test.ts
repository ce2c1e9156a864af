import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, WebhookSink } from './webhook';

// The Standard Webhooks reference vector: a receiver using any Standard Webhooks library
// accepts what we send only if this matches exactly.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the reference vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('verifies only the exact body, id and a fresh timestamp', () => {
    const headers = {
      id: VECTOR.id,
      timestamp: String(VECTOR.timestamp),
      signature: VECTOR.signature,
    };
    const now = VECTOR.timestamp + 10;
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, now)).toBe(true);
    expect(verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', now)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, { ...headers, id: 'msg_other' }, VECTOR.body, now)).toBe(
      false,
    );
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 301)).toBe(false);
  });
});

describe('WebhookSink', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  async function receiver(status: number) {
    const got: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => server.close();
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
  }

  it('POSTs a signed batch a receiver can verify', async () => {
    const { url, got } = await receiver(204);
    const sink = new WebhookSink(url, VECTOR.secret);
    await sink.write({
      id: 'msg_1',
      events: [{ name: 'signed_in', userId: 'usr_1', source: 'server', props: {}, at: 0 }],
    });
    const [{ headers, body }] = got as [(typeof got)[number]];
    expect(headers['content-type']).toBe('application/json');
    expect(headers['webhook-id']).toBe('msg_1');
    const signed = {
      id: String(headers['webhook-id']),
      timestamp: String(headers['webhook-timestamp']),
      signature: String(headers['webhook-signature']),
    };
    expect(verifyWebhook(VECTOR.secret, signed, body)).toBe(true);
    expect(verifyWebhook('whsec_' + Buffer.alloc(32, 7).toString('base64'), signed, body)).toBe(
      false,
    );
    expect(JSON.parse(body)).toEqual({
      type: 'analytics.events',
      timestamp: expect.any(String),
      data: {
        events: [
          {
            name: 'signed_in',
            userId: 'usr_1',
            source: 'server',
            at: '1970-01-01T00:00:00.000Z',
            props: {},
          },
        ],
      },
    });
  });

  it('rejects on a non-2xx answer, so the delivery retries', async () => {
    const { url } = await receiver(500);
    await expect(
      new WebhookSink(url, VECTOR.secret).write({ id: 'msg_2', events: [] }),
    ).rejects.toThrow('webhook answered 500');
  });
});
