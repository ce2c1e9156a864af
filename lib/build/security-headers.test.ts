import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants';
import { getPathMatch } from 'next/dist/shared/lib/router/utils/path-match';
import { describe, expect, it } from 'vitest';
import nextConfig from '@/next.config';

/** The headers Next would send for `path`, from next.config.ts, with Next's own path matcher. */
async function headersFor(path: string, phase = PHASE_PRODUCTION_SERVER) {
  const rules = (await nextConfig(phase).headers?.()) ?? [];
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (getPathMatch(rule.source)(path) === false) continue;
    for (const { key, value } of rule.headers) out[key.toLowerCase()] = value;
  }
  return out;
}

function csp(value: string | undefined) {
  expect(value).toBeDefined();
  return Object.fromEntries(
    value!.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

const PATHS = [
  '/',
  '/dashboard',
  '/dashboard/settings',
  '/admin',
  '/login',
  '/logout',
  '/api/refresh',
  '/api/callback',
  '/api/me',
  '/auth/error',
  '/auth/continue',
  '/_next/static/chunks/app.js',
];

describe('security headers on every page and route', () => {
  it.each(PATHS)(
    '%s cannot be framed or sniffed, and has a referrer and permissions policy',
    async (path) => {
      const h = await headersFor(path);
      expect(h['x-frame-options']).toBe('DENY');
      expect(csp(h['content-security-policy'])['frame-ancestors']).toEqual(["'none'"]);
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(['strict-origin-when-cross-origin', 'no-referrer']).toContain(h['referrer-policy']);
      expect(h['permissions-policy']).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
      expect(h['cross-origin-opener-policy']).toBe('same-origin');
    },
  );

  it('sends no Referer from the callback or any API route (codes and state live in those URLs)', async () => {
    for (const path of ['/api/callback', '/api/refresh', '/api/me']) {
      expect((await headersFor(path))['referrer-policy']).toBe('no-referrer');
    }
    expect((await headersFor('/dashboard'))['referrer-policy']).toBe(
      'strict-origin-when-cross-origin',
    );
  });

  it('production CSP: no plugins, no <base> hijack, no eval; what the app needs still works', async () => {
    const policy = csp((await headersFor('/dashboard'))['content-security-policy']);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'self'"]);
    expect(policy['script-src']).not.toContain("'unsafe-eval'");
    expect(policy['script-src']).not.toContain('*');
    // Next's inline RSC payload and next-themes' pre-hydration script (no nonce in a static header).
    expect(policy['script-src']).toEqual(["'self'", "'unsafe-inline'"]);
    // The sign-out form POSTs to /logout, which redirects to the IdP (https, or a loopback one).
    expect(policy['form-action']).toEqual(
      expect.arrayContaining(["'self'", 'https:', 'http://localhost:*']),
    );
    expect(policy['form-action']).not.toContain('http:');
    // Avatars from the IdP or a social provider (the local IdP's over loopback http).
    expect(policy['img-src']).toEqual(
      expect.arrayContaining(["'self'", 'https:', 'data:', 'http://localhost:*']),
    );
    expect(policy['img-src']).not.toContain('http:');
  });

  it('development adds only what the dev server needs (eval for fast refresh, its websocket)', async () => {
    const dev = csp(
      (await headersFor('/dashboard', PHASE_DEVELOPMENT_SERVER))['content-security-policy'],
    );
    const prod = csp((await headersFor('/dashboard'))['content-security-policy']);
    expect(dev['script-src']).toEqual([...prod['script-src']!, "'unsafe-eval'"]);
    expect(dev['img-src']).toEqual(prod['img-src']);
    expect(dev['connect-src']).toEqual(expect.arrayContaining(['ws:', 'wss:']));
    expect(dev['frame-ancestors']).toEqual(["'none'"]);
  });
});
