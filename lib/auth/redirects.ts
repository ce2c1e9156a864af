/**
 * The one validator for every redirect target the app accepts from a request (login, callback,
 * refresh, /auth/error, /auth/continue). It reads the value the way a browser will: resolved
 * against this app's origin, dot segments and all. Only a path that stays on this origin passes,
 * and what passes is the normalised form, so the redirect goes exactly where the check looked.
 * Pure and dependency-free, so it is safe to import anywhere.
 */
export const DEFAULT_RETURN_TO = '/dashboard';
const MAX_LENGTH = 2048;
/** Layers of percent-encoding checked; anything still changing after this is refused. */
const MAX_DECODE_ROUNDS = 4;
const PROBE_ORIGIN = 'http://return-to.invalid';
// Browsers strip tabs and newlines and read `\` as `/`, so a value that looks harmless here can
// turn into `//evil.com` there.
const UNSAFE_CHARACTERS = /[\\\u0000-\u001f\u007f]/;

/** Where a browser on this origin lands for `value`: its normalised path, or null if it leaves. */
function resolveOnOrigin(value: string): string | null {
  // Security: one literal leading slash. `//evil.com` and `/\evil.com` are protocol-relative to
  // browsers; `https:evil.com` or `javascript:` have no leading slash at all.
  if (value[0] !== '/' || value[1] === '/' || UNSAFE_CHARACTERS.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN || url.username || url.password) return null;
  // Security: dot segments (`/.//evil.com`, `/a/..//evil.com`, `/%2e%2e//evil.com`) collapse
  // into `//evil.com` here; as a Location or an href that is another host.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return null;
  return url.pathname + url.search + url.hash;
}

export function safeReturnTo(value: unknown, fallback: string = DEFAULT_RETURN_TO): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  const normalised = resolveOnOrigin(value);
  // Security: what we hand out must read the same on a second look (a fixed point), or a later
  // hop that resolves it again could land somewhere else.
  if (normalised === null || resolveOnOrigin(normalised) !== normalised) return fallback;
  // Security: a proxy, a framework or the next hop may percent-decode again (`%2F`, `%5C`,
  // `%252e`); every decoded layer must also stay on this origin, or the whole value is refused.
  let layer = value;
  for (let round = 0; ; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return fallback;
    }
    if (decoded === layer) break;
    if (round === MAX_DECODE_ROUNDS || resolveOnOrigin(decoded) === null) return fallback;
    layer = decoded;
  }
  return normalised;
}
