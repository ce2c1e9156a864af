// Hostile cases for /account/sessions and the webhook route: another user's session ids,
// cross-site posts, oversized and malformed bodies, forged, stale, replayed and unsigned
// webhooks. Each must change nothing and never answer 5xx. A local IdP of this file's own.
import { getPathMatch } from 'next/dist/shared/lib/router/utils/path-match';
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as revokeAllRoute from '@/app/account/sessions/revoke-all/route';
import * as revokeRoute from '@/app/account/sessions/revoke/route';
import { POST as webhookPOST } from '@/app/api/webhooks/scalekit/route';
import { sessionFromCookie } from '@/lib/server/session/session';
import { clearSessionMemo, forgetWebhookIds } from '@/lib/server/testing';
import type { LocalIdp } from '../../local-idp/server.mjs';
import { pointAppAt, startOwnIdp } from '../helpers/own-idp';
import { appUrl, request, USERS } from '../helpers/routes';
import {
  pageCookies,
  postRevoke,
  postSignOutEverywhere,
  SAFARI_IPHONE,
  signInDevice,
  type Device,
} from '../helpers/sessions';
import { logoutEvent, newWebhookSecret, signWebhook } from '../helpers/webhooks';
import { expectNo5xx } from './helpers';
import { config as middlewareConfig } from '@/middleware';

const secret = newWebhookSecret();
let own: Awaited<ReturnType<typeof startOwnIdp>>;
let idp: LocalIdp;

beforeAll(async () => {
  own = await startOwnIdp('hostile-sessions');
  idp = own.idp;
  pointAppAt(idp, { SCALEKIT_WEBHOOK_SECRET: secret });
});
afterAll(async () => {
  await own.close();
  delete process.env.SCALEKIT_WEBHOOK_SECRET;
});
afterEach(() => {
  clearSessionMemo();
  forgetWebhookIds();
});

const stillSignedIn = async (device: Device) => {
  expect((await sessionFromCookie(device.cookies.sk_access_token)).status).toBe('authenticated');
  expect(idp.getSession(device.sid)?.status).toBe('active');
};

function expectCrossSiteRefusal(response: Response) {
  expectNo5xx(response);
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location')!);
  expect(location.pathname + location.search).toBe('/auth/error?code=cross_site_request');
}

describe('hostile: another user’s sessions', () => {
  it('no id of anyone else’s, in any spelling, is revoked (404 each)', async () => {
    const mallory = await signInDevice(USERS.bob);
    const alice = await signInDevice(USERS.alice, SAFARI_IPHONE);
    const attempts = [
      alice.sid,
      ` ${alice.sid}`,
      `${alice.sid}\u0000`,
      alice.sid.toUpperCase(),
      `${alice.sid}/revoke`,
      'usr_01HALICE0000000000000001',
      'ses_' + 'A'.repeat(5_000),
    ];
    for (const id of attempts) {
      const response = await postRevoke(mallory, id);
      expectNo5xx(response);
      expect(response.status).toBe(404);
    }
    await stillSignedIn(alice);
    await stillSignedIn(mallory);
  });

  it('a body that is not the form (JSON, oversized, repeated fields) revokes nothing', async () => {
    const mallory = await signInDevice(USERS.bob);
    const alice = await signInDevice();
    const bodies: [string, string][] = [
      ['application/json', JSON.stringify({ session_id: alice.sid })],
      ['application/x-www-form-urlencoded', `session_id=${alice.sid}&pad=${'x'.repeat(8_000)}`],
      // The first value is the one read: Alice's, so 404 (a later one changes nothing).
      ['application/x-www-form-urlencoded', `session_id=${alice.sid}&session_id=${mallory.sid}`],
      ['text/plain', `session_id=${alice.sid}`],
    ];
    for (const [type, body] of bodies) {
      const response = await revokeRoute.POST(
        request('/account/sessions/revoke', {
          method: 'POST',
          cookies: pageCookies(mallory),
          headers: { 'content-type': type },
          body,
        }),
      );
      expectNo5xx(response);
      expect(response.status).toBe(404);
    }
    await stillSignedIn(alice);
    await stillSignedIn(mallory);
  });

  it('without a session nobody can revoke anything (→ sign-in)', async () => {
    const alice = await signInDevice();
    const response = await revokeRoute.POST(
      request('/account/sessions/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `session_id=${alice.sid}`,
      }),
    );
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/login');
    await stillSignedIn(alice);
  });
});

describe('hostile: cross-site requests to the revoke routes', () => {
  const crossSite: Record<string, string>[] = [
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { 'sec-fetch-site': '', origin: 'https://evil.example' },
    { 'next-router-prefetch': '1' },
    { 'sec-purpose': 'prefetch' },
  ];

  it('a forged "Revoke" form from another site changes nothing', async () => {
    const victim = await signInDevice();
    const phone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    for (const headers of crossSite) {
      expectCrossSiteRefusal(await postRevoke(victim, phone.sid, headers));
    }
    await stillSignedIn(phone);
    await stillSignedIn(victim);
  });

  it('a forged "Sign out everywhere" from another site changes nothing', async () => {
    const victim = await signInDevice();
    for (const headers of crossSite) {
      expectCrossSiteRefusal(await postSignOutEverywhere(victim, headers));
    }
    await stillSignedIn(victim);
  });

  it('links cannot revoke: the routes take POST only', () => {
    expect(Object.keys(revokeRoute)).toEqual(['POST']);
    expect(Object.keys(revokeAllRoute)).toEqual(['POST']);
  });
});

describe('hostile: webhooks', () => {
  const post = (body: BodyInit, headers: Record<string, string>) =>
    webhookPOST(
      new NextRequest(new URL('/api/webhooks/scalekit', appUrl()), {
        method: 'POST',
        body,
        headers,
        duplex: 'half',
      } as ConstructorParameters<typeof NextRequest>[1]),
    );

  it('a signed user.logout from Scalekit ends the session in the app', async () => {
    const device = await signInDevice();
    const body = logoutEvent(device.sid);
    const response = await post(body, signWebhook(secret, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, result: 'revoked' });
    expect((await sessionFromCookie(device.cookies.sk_access_token)).status).toBe(
      'unauthenticated',
    );
  });

  it('forged, stale, unsigned and replayed-with-another-body deliveries change nothing (401)', async () => {
    const device = await signInDevice();
    const body = logoutEvent(device.sid);
    const now = Math.floor(Date.now() / 1000);
    const valid = signWebhook(secret, body);
    const deliveries: [string, Record<string, string>][] = [
      [body, { 'content-type': 'application/json' }],
      [body, signWebhook(newWebhookSecret(), body)],
      [body, signWebhook(secret, body, { timestamp: now - 3_600 })],
      [body, signWebhook(secret, body, { timestamp: now + 3_600 })],
      [body, { ...valid, 'webhook-signature': 'v0,' + valid['webhook-signature']!.slice(3) }],
      [body, { ...valid, 'webhook-signature': 'v1,' + 'A'.repeat(5_000) }],
      [body.replace('user.logout', 'user.logout '), valid],
    ];
    for (const [sent, headers] of deliveries) {
      const response = await post(sent, headers);
      expectNo5xx(response);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain(secret.slice(6, 20));
    }
    await stillSignedIn(device);
  });

  it('a replay of a delivery already acted on is acknowledged and ignored', async () => {
    const first = await signInDevice();
    const body = logoutEvent(first.sid);
    const headers = signWebhook(secret, body);
    expect((await (await post(body, headers)).json()).result).toBe('revoked');
    const again = await post(body, headers);
    expect(again.status).toBe(200);
    expect((await again.json()).result).toBe('duplicate');
  });

  it('oversized bodies: 413 before verification, declared or streamed', async () => {
    const device = await signInDevice();
    const huge = logoutEvent(device.sid).padEnd(200_000, ' ');
    expect((await post(huge, signWebhook(secret, huge))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(32 * 1024).fill(32));
      },
    });
    const response = await post(stream, signWebhook(secret, 'whatever'));
    expect(response.status).toBe(413);
    await stillSignedIn(device);
  });

  it('malformed bodies: signed garbage is 400, unsigned garbage 401, never 5xx', async () => {
    for (const body of ['', '{', '\u0000\u0001', 'null', '[]', '{"type":']) {
      const signed = await post(body, signWebhook(secret, body));
      expectNo5xx(signed);
      expect(signed.status).toBe(400);
      const unsigned = await post(body, { 'content-type': 'application/json' });
      expect(unsigned.status).toBe(401);
    }
  });

  it('the Edge gate never sees the webhook: Scalekit sends no session cookie', () => {
    for (const { source } of middlewareConfig.matcher) {
      const matches = getPathMatch(source);
      expect(matches('/dashboard/x')).not.toBe(false); // the matcher itself is read right
      expect(matches('/api/webhooks/scalekit')).toBe(false);
    }
  });

  it('an unknown event type is acknowledged and ignored', async () => {
    const device = await signInDevice();
    const body = JSON.stringify({
      type: 'organization.created',
      data: { user_session: { session_id: device.sid, status: 'ACTIVE' } },
    });
    const response = await post(body, signWebhook(secret, body));
    expect(response.status).toBe(200);
    expect((await response.json()).result).toBe('ignored');
    await stillSignedIn(device);
  });
});
