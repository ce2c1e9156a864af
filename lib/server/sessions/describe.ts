import type { IdpSession } from './idp-sessions';

/**
 * A session as the account page shows it: device and browser in words, where and when. Pure, so
 * the wording is unit-tested without an IdP.
 */
export type SessionRow = {
  id: string;
  /** "Chrome 131 on macOS 10.15", or "Unknown browser" when the IdP recorded nothing usable. */
  device: string;
  /** "Desktop", "Mobile", "Tablet", or undefined. */
  deviceType?: string;
  ip?: string;
  /** "Berlin, Berlin, Germany" from whatever parts the IdP has. */
  location?: string;
  /** Milliseconds since the epoch. */
  lastActiveAt?: number;
  createdAt?: number;
  thisDevice: boolean;
};

type Timestamp = { seconds: bigint | number; nanos?: number } | undefined;

export function timestampMs(value: Timestamp): number | undefined {
  if (!value) return undefined;
  const ms = Number(value.seconds) * 1000 + Math.floor((value.nanos ?? 0) / 1e6);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

const clean = (value: string | undefined) => value?.trim().slice(0, 80) || undefined;
const major = (version: string | undefined) => clean(version)?.split('.')[0];
/** "10.15.7" → "10.15": enough to tell two machines apart, without patch-level noise. */
const release = (version: string | undefined) => clean(version)?.split('.').slice(0, 2).join('.');

// First match wins: Edge and Chrome-based browsers also say "Chrome", Chrome also says "Safari".
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /Edg\/(\d+)/],
  ['Firefox', /Firefox\/(\d+)/],
  ['Chrome', /Chrome\/(\d+)/],
  ['Safari', /Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//],
];
const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['Windows', /Windows NT/],
  ['iOS', /iPhone|iPad/],
  ['Android', /Android/],
  ['ChromeOS', /CrOS/],
  ['macOS', /Mac OS X/],
  ['Linux', /Linux/],
];

/** Browser and OS from a user agent, for IdPs that record only the raw string. */
function fromUserAgent(ua: string): { browser?: string; os?: string } {
  let browser: string | undefined;
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(ua);
    if (match) {
      browser = `${name} ${match[1]}`;
      break;
    }
  }
  const os = SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0];
  return { browser, os };
}

export function describeDevice(device: IdpSession['device']): string {
  const browserName = clean(device?.browser);
  const osName = clean(device?.os);
  const parsed = fromUserAgent(device?.userAgent ?? '');
  const browser = browserName
    ? [browserName, major(device?.browserVersion)].filter(Boolean).join(' ')
    : parsed.browser;
  const os = osName ? [osName, release(device?.osVersion)].filter(Boolean).join(' ') : parsed.os;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? (os ? `Unknown browser on ${os}` : 'Unknown browser');
}

function deviceType(value: string | undefined): string | undefined {
  const type = clean(value)?.toLowerCase();
  if (!type) return undefined;
  return type[0]!.toUpperCase() + type.slice(1);
}

function location(device: IdpSession['device']): string | undefined {
  const where = device?.location;
  if (!where) return undefined;
  const parts = [where.city, where.regionSubdivision, where.region].map(clean).filter(Boolean);
  // "Berlin, Berlin" says nothing twice.
  const unique = parts.filter((part, i) => parts.indexOf(part) === i);
  return unique.length > 0 ? unique.join(', ') : undefined;
}

export function toSessionRow(session: IdpSession, thisDeviceSid: string | undefined): SessionRow {
  return {
    id: session.sessionId,
    device: describeDevice(session.device),
    deviceType: deviceType(session.device?.deviceType),
    ip: clean(session.device?.ip),
    location: location(session.device),
    lastActiveAt: timestampMs(session.lastActiveAt) ?? timestampMs(session.updatedAt),
    createdAt: timestampMs(session.createdAt),
    thisDevice: session.sessionId === thisDeviceSid,
  };
}

/** This device first, then the most recently active. */
export function sessionRows(sessions: IdpSession[], thisDeviceSid: string | undefined) {
  return sessions
    .map((s) => toSessionRow(s, thisDeviceSid))
    .sort(
      (a, b) =>
        Number(b.thisDevice) - Number(a.thisDevice) ||
        (b.lastActiveAt ?? 0) - (a.lastActiveAt ?? 0),
    );
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 3600],
  ['day', 86_400],
  ['week', 604_800],
  ['month', 2_592_000],
  ['year', 31_536_000],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago". */
export function relativeTime(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  let unit: Intl.RelativeTimeFormatUnit = 'minute';
  let size = 60;
  for (const [u, s] of STEPS) {
    if (Math.abs(seconds) >= s) [unit, size] = [u, s];
  }
  return relative.format(Math.round(seconds / size), unit);
}
