/**
 * Response headers for every page and route, served by next.config.ts `headers()`.
 *
 * Static on purpose: `headers()` is evaluated when the server is built or started, with no
 * request and no runtime environment, and it costs nothing per request. A nonce-based CSP would
 * need the Edge middleware on every request (it deliberately skips requests that carry a session
 * cookie, see middleware.ts) and would make every page dynamic. The price is `'unsafe-inline'`
 * for scripts (Next's inline RSC payload and next-themes' pre-hydration script), so this CSP is
 * about framing, plugins, `<base>` and form targets, not a second XSS wall; React's escaping and
 * HttpOnly cookies are that wall (docs/6-security.md).
 *
 * Plain module, no `server-only`: next.config.ts imports it.
 */

/** Loopback origins: the bundled local IdP and example API in development and the e2e run. */
const LOOPBACK = ['http://localhost:*', 'http://127.0.0.1:*'];

export function contentSecurityPolicy({ dev }: { dev: boolean }): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Next's dev runtime evaluates code for fast refresh; production never does.
    'script-src': ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    // Avatars come from the IdP or a social provider, on origins only known at run time (the
    // local IdP serves its own over loopback http, in development and in the e2e run).
    'img-src': ["'self'", 'data:', 'blob:', 'https:', ...LOOPBACK],
    'font-src': ["'self'", 'data:'],
    // The dashboard's demo calls EXAMPLE_API_URL from the browser; its origin is runtime config.
    'connect-src': ["'self'", 'https:', ...LOOPBACK, ...(dev ? ['ws:', 'wss:'] : [])],
    // Security: Chrome applies form-action to the redirects after a submission, and the sign-out
    // form's POST /logout redirects to the IdP, whose origin is runtime config (https, or a
    // loopback local IdP).
    'form-action': ["'self'", 'https:', ...LOOPBACK],
    // Security: no page of this app may be framed (clickjacking on the sign-out and sign-in UI).
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

export type HeaderRule = { source: string; headers: { key: string; value: string }[] };

export function securityHeaderRules({ dev }: { dev: boolean }): HeaderRule[] {
  return [
    {
      source: '/:path*',
      headers: [
        { key: 'Content-Security-Policy', value: contentSecurityPolicy({ dev }) },
        // For browsers without CSP frame-ancestors.
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        {
          key: 'Permissions-Policy',
          value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
        },
        // Security: a page this app opens, or that opens it, gets no window handle to it.
        { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
        // Ignored by browsers over http (local development); over https, stay on https.
        { key: 'Strict-Transport-Security', value: 'max-age=63072000' },
      ],
    },
    {
      // Security: the callback URL carries a one-time code and the state; no Referer may take
      // any auth endpoint's URL anywhere.
      source: '/api/:path*',
      headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }],
    },
  ];
}
