import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as eventsPOST } from '@/app/api/events/route';
import { sessionFromCookie } from '@/lib/server/session/session';
import { captureAnalytics, eventsRequest } from '../helpers/analytics';
import { signInThroughRoutes, USERS } from '../helpers/routes';
import { expectNo5xx, flip } from './helpers';

/**
 * Class: someone other than the signed-in page writes into a user's event history, or makes the
 * endpoint store junk, grow without bound or fall over. Every case: a 4xx with a reason, nothing
 * stored, never a 5xx.
 */

let capture: Awaited<ReturnType<typeof captureAnalytics>>;
let session: Record<string, string>;
let aliceId: string;
beforeAll(async () => {
  capture = await captureAnalytics();
  session = (await signInThroughRoutes(USERS.alice)).session;
  const verified = await sessionFromCookie(session.sk_access_token);
  if (verified.status !== 'authenticated') throw new Error('no session');
  aliceId = verified.user.id;
});
afterAll(() => capture.stop());

const ok = { events: [{ name: 'clicked' }] };

async function refused(request: Request, status: number, error?: string) {
  const before = (await capture.events()).length;
  const response = await eventsPOST(request as never);
  expectNo5xx(response);
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: string; reason: string };
  if (error) expect(body.error).toBe(error);
  expect(body.reason.length).toBeGreaterThan(10);
  expect((await capture.events()).length, 'nothing stored').toBe(before);
  return body;
}

describe('hostile: POST /api/events', () => {
  it('unauthenticated: no cookie, a tampered cookie → 401', async () => {
    await refused(eventsRequest(ok), 401, 'unauthenticated');
    await refused(
      eventsRequest(ok, { cookies: { sk_access_token: flip(session.sk_access_token!) } }),
      401,
    );
  });

  it('cross-site: another site’s page, or an Origin that is not ours → 403', async () => {
    await refused(
      eventsRequest(ok, { cookies: session, headers: { 'sec-fetch-site': 'cross-site' } }),
      403,
      'cross_site_request',
    );
    await refused(
      eventsRequest(ok, { cookies: session, headers: { 'sec-fetch-site': 'same-site' } }),
      403,
    );
    const noFetchMetadata = eventsRequest(ok, {
      cookies: session,
      headers: { origin: 'https://evil.example' },
    });
    noFetchMetadata.headers.delete('sec-fetch-site');
    await refused(noFetchMetadata, 403);
  });

  it('forged identity: a user id in the body (anywhere) is ignored; the session decides', async () => {
    const response = await eventsPOST(
      eventsRequest(
        {
          userId: 'usr_victim',
          user_id: 'usr_victim',
          events: [{ name: 'clicked', userId: 'usr_victim', source: 'server', props: { n: 1 } }],
        },
        { cookies: session },
      ),
    );
    expect(response.status).toBe(202);
    const stored = (await capture.events()).filter((e) => e.name === 'clicked');
    expect(stored.at(-1)).toMatchObject({ userId: aliceId, source: 'browser' });
    expect(capture.raw()).not.toContain('usr_victim');
  });

  it('a page cannot claim the server’s lifecycle events', async () => {
    await refused(
      eventsRequest(
        { events: [{ name: 'signed_in', props: { method: 'x' } }] },
        { cookies: session },
      ),
      400,
    );
  });

  it('oversized: a body past 64 KB → 413, whether or not Content-Length says so', async () => {
    const big = { events: [{ name: 'a', props: { s: 'x'.repeat(70_000) } }] };
    await refused(eventsRequest(big, { cookies: session }), 413, 'payload_too_large');
    const lying = eventsRequest(big, { cookies: session, headers: { 'content-length': '10' } });
    expectNo5xx(await eventsPOST(lying));
    // Streamed without a length at all:
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 100; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        c.close();
      },
    });
    const chunked = new Request(eventsRequest(ok, { cookies: session }), {
      body: stream,
      method: 'POST',
      duplex: 'half',
    } as RequestInit);
    await refused(new (await import('next/server')).NextRequest(chunked), 413);
  });

  it('1,000 events in one request → 413, none stored', async () => {
    const body = { events: Array.from({ length: 1000 }, (_, i) => ({ name: 'e', props: { i } })) };
    await refused(eventsRequest(body, { cookies: session }), 413, 'too_many_events');
  });

  it.each([
    ['not JSON', '{"events": [', 'invalid_json'],
    ['a JSON string', '"events"', 'invalid_event'],
    ['events not an array', { events: { name: 'a' } }, 'invalid_event'],
    ['a number as a name', { events: [{ name: 7 }] }, 'invalid_event'],
    ['props as a string', { events: [{ name: 'a', props: 'x' }] }, 'invalid_event'],
    [
      'a deep object',
      { events: [{ name: 'a', props: { a: { b: { c: { d: 1 } } } } }] },
      'invalid_event',
    ],
    [
      'one bad event among good ones',
      { events: [{ name: 'ok' }, { name: 'ok', props: { f: [[[[1]]]] } }] },
      'invalid_event',
    ],
  ])('wrong types: %s → 400', async (_label, body, error) => {
    await refused(eventsRequest(body, { cookies: session }), 400, error);
  });

  it('a form post or text/plain (a cross-site "simple" request) → 415', async () => {
    await refused(
      eventsRequest(JSON.stringify(ok), {
        cookies: session,
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
  });
});
