import { expect } from 'vitest';
import { sessionFromCookies } from '@/lib/session';

/** A cookie jar as a request would carry it: name → value, in order. */
export type Jar = Record<string, string>;

export const reader = (jar: Jar) => ({
  getAll: () => Object.entries(jar).map(([name, value]) => ({ name, value })),
});

/** What getSession() would decide for a browser holding exactly these cookies. */
export async function sessionOf(jar: Jar, secure = false) {
  return sessionFromCookies(reader(jar), { secure });
}

/** The outcome every hostile case shares: the server answered, and not with a 5xx. */
export function expectNo5xx(response: Response) {
  expect(response.status, `status ${response.status}`).toBeLessThan(500);
}

/** Flip one character in the middle of a string (base64url-safe). */
export function flip(value: string, at = Math.floor(value.length / 2)): string {
  const c = value[at];
  return value.slice(0, at) + (c === 'A' ? 'B' : 'A') + value.slice(at + 1);
}
