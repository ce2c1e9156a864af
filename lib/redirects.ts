/**
 * The one validator for every redirect target the app accepts from a request (login, callback,
 * refresh, logout). Only same-origin relative paths pass; anything else becomes the fallback.
 * Pure and dependency-free, so it is safe to import anywhere.
 */
export const DEFAULT_RETURN_TO = '/dashboard';
const MAX_LENGTH = 2048;
const PROBE_ORIGIN = 'http://return-to.invalid';

export function safeReturnTo(value: unknown, fallback: string = DEFAULT_RETURN_TO): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  // Security: one leading slash only. `//evil.com` and `/\evil.com` are protocol-relative URLs
  // to browsers, and `https:evil.com` or `javascript:` have no leading slash at all.
  if (value[0] !== '/' || value[1] === '/' || value[1] === '\\') return fallback;
  // Security: browsers strip tabs and newlines and treat `\` as `/`, so a value that looks
  // harmless here can turn into `//evil.com` there. Refuse them outright, as well as any other
  // control character.
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  // Security: an encoded slash or backslash at the start decodes into the cases above in some
  // servers and proxies; refuse the whole value once decoded if it would.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (decoded[1] === '/' || decoded[1] === '\\' || /[\\\u0000-\u001f\u007f]/.test(decoded)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN || url.username || url.password) return fallback;
  return url.pathname + url.search + url.hash;
}
