import { expect } from 'vitest';
import { setCookies } from '../helpers/routes';
import { sessionFromCookies } from '@/lib/server/session/session';

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

/**
 * A browser's cookie jar, paths included: a request carries only the cookies whose path covers
 * it, as a browser sends them (RFC 6265 path-match). Feed it every response with `take`.
 */
export class BrowserJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  take(response: Response): this {
    for (const [name, c] of Object.entries(setCookies(response))) {
      const path = typeof c.attributes.path === 'string' ? c.attributes.path : '/';
      const key = `${name};${path}`;
      if (c.attributes['max-age'] === '0' || c.value === '') this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value: c.value, path });
    }
    return this;
  }

  /** The cookies a request to `pathname` carries. */
  for(pathname: string): Jar {
    const jar: Jar = {};
    for (const c of this.#cookies.values()) {
      const covers =
        c.path === '/' ||
        pathname === c.path ||
        pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`);
      if (covers) jar[c.name] = c.value;
    }
    return jar;
  }

  names(): string[] {
    return [...this.#cookies.values()].map((c) => c.name);
  }
}
