import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as eventsPOST } from '@/app/api/events/route';
import { sessionFromCookie } from '@/lib/server/session/session';
import { captureAnalytics, eventsRequest } from './helpers/analytics';
import { appUrl, signInThroughRoutes, USERS } from './helpers/routes';

let capture: Awaited<ReturnType<typeof captureAnalytics>>;
beforeEach(async () => (capture = await captureAnalytics()));
afterEach(() => capture.stop());

describe('POST /api/events', () => {
  it('stores a batch under the verified session’s user, with the server’s receive time', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const verified = await sessionFromCookie(session.sk_access_token);
    if (verified.status !== 'authenticated') throw new Error('no session');
    const before = Date.now();
    const response = await eventsPOST(
      eventsRequest(
        {
          events: [
            {
              name: 'checkout.completed',
              props: { total: 99.99 },
              ts: 1_000,
              context: {
                url: `${appUrl()}/checkout?token=leak`,
                locale: 'en-GB',
                screen: { width: 1280, height: 800 },
              },
            },
          ],
        },
        { cookies: session, headers: { 'user-agent': 'Mozilla/5.0 (X11) Chromium' } },
      ),
    );
    expect(response.status).toBe(202);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.json()).toEqual({ accepted: 1 });
    const stored = (await capture.events()).filter((e) => e.source === 'browser');
    expect(stored).toEqual([
      {
        name: 'checkout.completed',
        userId: verified.user.id,
        source: 'browser',
        at: expect.any(String),
        clientAt: new Date(1_000).toISOString(),
        props: { total: 99.99 },
        context: {
          userAgent: 'Mozilla/5.0 (X11) Chromium',
          locale: 'en-GB',
          screen: { width: 1280, height: 800 },
          url: '/checkout',
        },
      },
    ]);
    expect(Date.parse(stored[0]!.at)).toBeGreaterThanOrEqual(before);
    expect(capture.raw()).not.toContain('token=leak');
  });

  it('says how long to wait once a session has sent its share (429 + Retry-After)', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const batch = {
      events: Array.from({ length: 50 }, (_, i) => ({ name: 'scroll', props: { i } })),
    };
    for (let i = 0; i < 4; i++) {
      expect((await eventsPOST(eventsRequest(batch, { cookies: session }))).status).toBe(202);
    }
    const limited = await eventsPOST(eventsRequest(batch, { cookies: session }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ error: 'rate_limited', reason: expect.any(String) });
    // Another user's session is not held back by bob's.
    const { session: alice } = await signInThroughRoutes(USERS.alice);
    expect((await eventsPOST(eventsRequest(batch, { cookies: alice }))).status).toBe(202);
    expect((await capture.events()).filter((e) => e.name === 'scroll')).toHaveLength(250);
  });
});
