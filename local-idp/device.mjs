// Scalekit's session `device` block, derived from the browser's User-Agent the way its API
// returns it: browser, os and their versions in words, device_type desktop|mobile|tablet|other.
// A small parser is enough here: the seeded logins come from mainstream browsers or test clients.

/** @typedef {{ user_agent: string, os: string, os_version: string, browser: string, browser_version: string, device_type: string, ip: string, location?: Location }} Device */
/** @typedef {{ region?: string, region_subdivision?: string, city?: string, latitude?: string, longitude?: string }} Location */

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS = /** @type {const} */ ([
  ['Edge', /\bEdg(?:e|A|iOS)?\/([\d.]+)/],
  ['Opera', /\b(?:OPR|Opera)\/([\d.]+)/],
  ['Samsung Internet', /\bSamsungBrowser\/([\d.]+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/([\d.]+)/],
  ['Safari', /\bVersion\/([\d.]+).*\bSafari\//],
]);

const WINDOWS = /** @type {Record<string, string>} */ ({
  '10.0': '10',
  6.3: '8.1',
  6.2: '8',
  6.1: '7',
});

/** @param {string} ua @returns {{ os: string, os_version: string }} */
function osOf(ua) {
  let m;
  if ((m = /\b(?:iPhone|iPad|iPod)\b.*?\bOS (\d+(?:_\d+)*)/.exec(ua)))
    return { os: 'iOS', os_version: m[1].replaceAll('_', '.') };
  if ((m = /\bAndroid (\d+(?:\.\d+)*)/.exec(ua))) return { os: 'Android', os_version: m[1] };
  if ((m = /\bWindows NT (\d+\.\d+)/.exec(ua)))
    return { os: 'Windows', os_version: WINDOWS[m[1]] ?? m[1] };
  if ((m = /\bMac OS X (\d+(?:[_.]\d+)*)/.exec(ua)))
    return { os: 'macOS', os_version: m[1].replaceAll('_', '.') };
  if (/\bCrOS\b/.test(ua)) return { os: 'ChromeOS', os_version: '' };
  if (/\bLinux\b/.test(ua)) return { os: 'Linux', os_version: '' };
  return { os: '', os_version: '' };
}

/** @param {string} ua @param {string} os */
function deviceTypeOf(ua, os) {
  if (/\biPad\b|\bTablet\b/.test(ua) || (os === 'Android' && !/\bMobile\b/.test(ua)))
    return 'tablet';
  if (/\bMobi|\biPhone\b|\biPod\b/.test(ua)) return 'mobile';
  if (['Windows', 'macOS', 'Linux', 'ChromeOS'].includes(os)) return 'desktop';
  return 'other';
}

/**
 * @param {string | undefined} userAgent @param {string} ip @param {Location | undefined} [location]
 * @returns {Device}
 */
export function describeDevice(userAgent, ip, location) {
  // Bounded: the header is attacker-chosen and stored per session.
  const ua = String(userAgent ?? '').slice(0, 512);
  const { os, os_version } = osOf(ua);
  let browser = '';
  let browser_version = '';
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m?.[1]) {
      browser = name;
      browser_version = m[1];
      break;
    }
  }
  return {
    user_agent: ua,
    os,
    os_version,
    browser,
    browser_version,
    device_type: deviceTypeOf(ua, os),
    ip: ip.replace(/^::ffff:/, ''),
    ...(location && { location: { ...location } }),
  };
}
