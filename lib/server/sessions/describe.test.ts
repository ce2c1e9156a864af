import { describe, expect, it } from 'vitest';
import { describeDevice, relativeTime, sessionRows, timestampMs, toSessionRow } from './describe';
import type { IdpSession } from './idp-sessions';

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const EDGE_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86';

const ts = (ms: number) => ({ seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

function session(overrides: Record<string, unknown> = {}): IdpSession {
  return {
    sessionId: 'ses_1',
    userId: 'usr_1',
    status: 'active',
    device: {
      userAgent: CHROME_MAC,
      browser: 'Chrome',
      browserVersion: '131.0.0.0',
      os: 'macOS',
      osVersion: '10.15.7',
      deviceType: 'desktop',
      ip: '203.0.113.7',
    },
    ...overrides,
  } as unknown as IdpSession;
}

describe('device and browser in words', () => {
  it('uses the fields the IdP parsed, with major versions', () => {
    expect(describeDevice(session().device)).toBe('Chrome 131 on macOS 10.15');
  });

  it('falls back to the user agent when the IdP recorded only that', () => {
    const only = (userAgent: string) =>
      describeDevice({ userAgent } as unknown as IdpSession['device']);
    expect(only(CHROME_MAC)).toBe('Chrome 131 on macOS');
    expect(only(SAFARI_IPHONE)).toBe('Safari 17 on iOS');
    expect(only(EDGE_WINDOWS)).toBe('Edge 131 on Windows');
  });

  it('says so when nothing is known, instead of an empty cell', () => {
    expect(describeDevice(undefined)).toBe('Unknown browser');
    expect(describeDevice({ userAgent: 'curl/8.5.0' } as unknown as IdpSession['device'])).toBe(
      'Unknown browser',
    );
  });
});

describe('a session row', () => {
  it('carries device type, IP, location (no repeated parts) and last activity', () => {
    const lastActive = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const row = toSessionRow(
      session({
        lastActiveAt: ts(lastActive),
        device: {
          ...session().device,
          deviceType: 'mobile',
          location: { city: 'Berlin', regionSubdivision: 'Berlin', region: 'Germany' },
        },
      }),
      'ses_other',
    );
    expect(row).toMatchObject({
      id: 'ses_1',
      deviceType: 'Mobile',
      ip: '203.0.113.7',
      location: 'Berlin, Germany',
      lastActiveAt: lastActive,
      thisDevice: false,
    });
  });

  it('has no location when the IdP has none (loopback sign-ins)', () => {
    expect(toSessionRow(session(), undefined).location).toBeUndefined();
  });

  it('lists this device first, then the most recently active', () => {
    const rows = sessionRows(
      [
        session({ sessionId: 'ses_old', lastActiveAt: ts(1_000_000) }),
        session({ sessionId: 'ses_here', lastActiveAt: ts(500_000) }),
        session({ sessionId: 'ses_new', lastActiveAt: ts(2_000_000) }),
      ],
      'ses_here',
    );
    expect(rows.map((r) => [r.id, r.thisDevice])).toEqual([
      ['ses_here', true],
      ['ses_new', false],
      ['ses_old', false],
    ]);
  });
});

describe('times', () => {
  it('reads protobuf Timestamps (BigInt seconds) to milliseconds', () => {
    expect(timestampMs({ seconds: 1_700_000_000n, nanos: 250_000_000 })).toBe(1_700_000_000_250);
    expect(timestampMs(undefined)).toBeUndefined();
    expect(timestampMs({ seconds: 0n })).toBeUndefined();
  });

  it('says last activity relative to now', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(relativeTime(now - 86_400_000, now)).toBe('yesterday');
    expect(relativeTime(now - 21 * 86_400_000, now)).toBe('3 weeks ago');
  });
});
