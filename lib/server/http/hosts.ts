/**
 * Host-name facts shared by the start-up checks (lib/server/config-production.ts) and the per-request
 * origin (lib/server/http/origin.ts). Pure, so both can use them.
 */

/** localhost, 127.0.0.0/8 and ::1: the only hosts where plain http is acceptable. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** `host` or `host:port` → `host`. IPv6 literals keep their brackets. */
export function hostnameOf(host: string): string {
  return host.replace(/:\d{1,5}$/, '');
}
