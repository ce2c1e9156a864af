import { describe, expect, it } from 'vitest';
import { checkBatch, LIMITS } from './validate';

const APP = 'http://localhost:3000';
const check = (body: unknown, ua: string | null = 'Mozilla/5.0 Test') => checkBatch(body, APP, ua);
const one = (event: Record<string, unknown>) => check({ events: [event] });
const reason = (result: ReturnType<typeof check>) => (result.ok ? 'ok' : result.reason);

describe('checkBatch', () => {
  it('keeps names, properties and sanitized context; ignores everything else', () => {
    const result = check({
      userId: 'usr_attacker',
      events: [
        {
          name: 'checkout.completed',
          props: { total: 99.99, items: [{ sku: 'a', qty: 1 }], coupon: null, gift: false },
          ts: 1_700_000_000_000,
          userId: 'usr_someone_else',
          source: 'server',
          at: 0,
          context: {
            url: `${APP}/checkout?code=secret-code#token=abc`,
            referrer: 'https://mail.example.com/inbox?session=xyz',
            locale: 'en-GB',
            screen: { width: 1280, height: 800 },
            userAgent: 'forged agent',
          },
        },
      ],
    });
    expect(result).toEqual({
      ok: true,
      events: [
        {
          name: 'checkout.completed',
          props: { total: 99.99, items: [{ sku: 'a', qty: 1 }], coupon: null, gift: false },
          clientAt: 1_700_000_000_000,
          context: {
            userAgent: 'Mozilla/5.0 Test',
            url: '/checkout',
            referrer: 'https://mail.example.com',
            locale: 'en-GB',
            screen: { width: 1280, height: 800 },
          },
        },
      ],
    });
    expect(JSON.stringify(result)).not.toMatch(/usr_|secret-code|token=|session=xyz|forged/);
  });

  it('drops a URL on another origin and a non-http referrer', () => {
    const result = one({
      name: 'a',
      context: { url: 'https://evil.example/x', referrer: 'javascript:alert(1)' },
    });
    expect(result.ok && result.events[0]!.context).toEqual({ userAgent: 'Mozilla/5.0 Test' });
  });

  it.each([
    [null, 'JSON object with an "events" array'],
    [[], 'JSON object with an "events" array'],
    [{ events: {} }, 'JSON object with an "events" array'],
    [{ events: [] }, '"events" is empty'],
    [{ events: ['x'] }, 'events[0]: must be an object'],
  ])('refuses the body %j', (body, expected) => {
    const result = check(body);
    expect(result.ok).toBe(false);
    expect(reason(result)).toContain(expected);
  });

  it('answers 413 past the count limit', () => {
    const result = check({ events: Array.from({ length: 1000 }, () => ({ name: 'a' })) });
    expect(result).toEqual({
      ok: false,
      status: 413,
      reason: expect.stringContaining('At most 50'),
    });
    expect(check({ events: Array.from({ length: LIMITS.events }, () => ({ name: 'a' })) }).ok).toBe(
      true,
    );
  });

  it.each([
    ['', 'name'],
    ['Checkout', 'name'],
    ['has space', 'name'],
    ['a.', 'name'],
    ['<script>', 'name'],
    ['x'.repeat(65), 'name'],
    [42, 'name'],
  ])('refuses the event name %j', (name, where) => {
    expect(reason(one({ name }))).toMatch(new RegExp(`events\\[0\\]\\.${where}`));
  });

  it('refuses the flow lifecycle names: a page cannot claim a sign-in', () => {
    expect(reason(one({ name: 'signed_in' }))).toContain('reserved for the server');
    expect(reason(one({ name: 'permission_denied' }))).toContain('reserved for the server');
  });

  it.each([
    [{ props: 'x' }, 'events[0].props: must be an object'],
    [{ props: [1] }, 'events[0].props: must be an object'],
    [{ props: { n: Infinity } }, 'numbers must be finite'],
    [{ props: { s: 'x'.repeat(501) } }, 'at most 500 characters'],
    [{ props: { a: { b: { c: { d: 1 } } } } }, 'nest at most 3 levels'],
    [{ props: { 'bad key': 1 } }, 'property names'],
    [{ props: { ['k'.repeat(41)]: 1 } }, 'property names'],
    [
      { props: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, i])) },
      'at most 25 keys',
    ],
    [{ props: { list: Array.from({ length: 26 }, () => 1) } }, 'at most 25 items'],
    [
      {
        props: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(300)])),
      },
      'at most 4096 bytes',
    ],
    [{ context: 'x' }, 'events[0].context: must be an object'],
  ])('refuses %j', (extra, expected) => {
    const result = one({ name: 'ok', ...extra });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.status).toBe(400);
    expect(reason(result)).toContain(expected);
  });

  it('keeps __proto__ a plain key, never a prototype', () => {
    const result = check(
      JSON.parse('{"events":[{"name":"a","props":{"__proto__":{"admin":true}}}]}'),
    );
    expect(result.ok).toBe(true);
    const props = result.ok ? result.events[0]!.props : {};
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.keys(props)).toEqual(['__proto__']);
  });
});
