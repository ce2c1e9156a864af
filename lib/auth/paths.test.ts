import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, safeReturnTo, emailDomain, loginHref } from './paths';
import { parseLoginHints } from '@/lib/server/login/start';

const ORIGIN = 'https://app.example';

/** What a browser on this app does with an href or Location of `path`. */
const browserLands = (path: string) => new URL(path, `${ORIGIN}/`);

describe('safeReturnTo', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard?tab=team#members', '/dashboard?tab=team#members'],
    ['/a/b/../c', '/a/c'],
    ['/search?q=%2F%2Fnot-a-host', '/search?q=%2F%2Fnot-a-host'],
    // Dot segments that stay on this origin are fine, and come back normalised.
    ['/./dashboard', '/dashboard'],
    ['/a/../dashboard', '/dashboard'],
    ['/%2e/dashboard', '/dashboard'],
    ['/%2E%2E/dashboard', '/dashboard'],
    ['/dashboard/./settings/', '/dashboard/settings/'],
    ['/../../dashboard', '/dashboard'],
    ['/dashboard?next=/.//evil.com', '/dashboard?next=/.//evil.com'],
    ['/dashboard#/.//evil.com', '/dashboard#/.//evil.com'],
    ['/ü', '/%C3%BC'],
    ['/a b', '/a%20b'],
  ])('keeps the same-origin path %s as %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  const openRedirects = [
    '//evil.com',
    '///evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '\\/evil.com',
    'https://evil.com',
    'http://evil.com/dashboard',
    'https:evil.com',
    '//evil.com/%2e%2e',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'evil.com',
    '/%2F%2Fevil.com',
    '/%2f/evil.com',
    '/%5Cevil.com',
    '/%5cevil.com',
    '%2F%2Fevil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    '/\r\n/evil.com',
    '/\u0000/evil.com',
    '\t//evil.com',
    ' //evil.com',
    '//user:pass@evil.com',
    '//@evil.com',
    '/@evil.com'.replace('/', '//'),
    '//evil.com@localhost',
    '/\u3000/evil.com'.replace('\u3000', '\\'),
    '//evil%E3%80%82com',
    '/' + 'a'.repeat(5000),
    '',
    '?next=//evil.com',
    '#//evil.com',
    'mailto:a@evil.com',
  ];

  it.each(openRedirects.map((p) => [JSON.stringify(p), p]))('rejects %s', (_label, payload) => {
    expect(safeReturnTo(payload)).toBe(DEFAULT_RETURN_TO);
  });

  it('rejects non-string input', () => {
    expect(safeReturnTo(undefined)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(null)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(['/dashboard'])).toBe(DEFAULT_RETURN_TO);
  });

  it('keeps unicode look-alike slashes and dots on this origin', () => {
    // U+FF0F FULLWIDTH SOLIDUS, U+2215 DIVISION SLASH and U+FF0E FULLWIDTH FULL STOP are neither
    // slashes nor dots to a URL path parser.
    for (const input of ['/\uFF0Fevil.com', '/\u2215evil.com', '/\uFF0E\uFF0E/evil.com']) {
      expect(browserLands(safeReturnTo(input)).origin).toBe(ORIGIN);
    }
  });
});

/**
 * Dot segments and repeated encodings: values that look like a same-origin path but that a
 * browser (or a hop that decodes once more) resolves to another host. Each prefix is tried with
 * several host shapes, so a fix for one spelling cannot pass by accident.
 */
describe('safeReturnTo: dot segments and encodings that normalise to another host', () => {
  const prefixes = [
    '/.//',
    '/.//.//',
    '/.///',
    '/././/',
    '/..//',
    '/../..//',
    '/a/..//',
    '/a/b/../..//',
    '/a/./..//',
    '/dashboard/..//',
    '/%2e//',
    '/%2E//',
    '/%2e%2e//',
    '/%2E%2e//',
    '/.%2e//',
    '/%2e.//',
    '/a/%2e%2e//',
    '/a/.%2E//',
    '/a/%2e./%2e//',
    '/%252e//',
    '/%252e%252e//',
    '/a/%252e%252e//',
    '/%25252e//',
    '/.%2f/',
    '/.%2F/',
    '/%2e%2f/',
    '/%2e%2e%2f%2f',
    '/a%2f..%2f%2f',
    '/.%252f/',
    '/%252f%252f',
    '/%25252f%25252f',
    '/%2f%2f',
    '/%2F/',
    '/%5c',
    '/%5C/',
    '/.%5c/',
    '/%255c',
    '/%2e%5c/',
    '/.%09/',
    '/%09//',
    '/.%0a/',
    '/%0d%0a//',
    '/.%00/',
    '/%2e%00//',
  ];
  const hosts = [
    'evil.com',
    'evil.com/',
    'evil.com/dashboard?x=1',
    'evil.com:443',
    '127.0.0.1',
    'evil.com#/',
  ];
  const payloads = prefixes.flatMap((prefix) => hosts.map((host) => prefix + host));

  it(`has a large table (${payloads.length} payloads)`, () => {
    expect(payloads.length).toBeGreaterThanOrEqual(200);
  });

  it.each(payloads.map((p) => [JSON.stringify(p), p]))('refuses %s', (_label, payload) => {
    expect(safeReturnTo(payload, '/')).toBe('/');
  });

  it('the old spellings from the probe fall back to the default', () => {
    for (const payload of ['/.//evil.com', '/%2e//evil.com', '/a/..//evil.com', '/./%2fevil.com']) {
      expect(safeReturnTo(payload)).toBe(DEFAULT_RETURN_TO);
    }
  });
});

/**
 * Whatever comes in, what goes out is a path a browser keeps on this origin, that reads the same
 * when resolved again (so the redirect goes exactly where the check looked), and that a hop
 * decoding it once more would also keep here.
 */
describe('safeReturnTo: invariants over every payload shape', () => {
  const pieces = [
    '',
    '/',
    '//',
    '\\',
    '.',
    '..',
    '%2e',
    '%2f',
    '%5c',
    '%252e',
    '%252f',
    '@',
    ':',
    '?',
    '#',
    'evil.com',
  ];
  const generated: string[] = [];
  for (const a of pieces)
    for (const b of pieces) for (const c of pieces) generated.push(`/${a}${b}${c}`);

  it(`holds for ${generated.length} generated values`, () => {
    for (const payload of generated) {
      const result = safeReturnTo(payload, '/');
      const label = `${JSON.stringify(payload)} → ${JSON.stringify(result)}`;
      expect(result.startsWith('/'), label).toBe(true);
      expect(result.startsWith('//') || result.startsWith('/\\'), label).toBe(false);
      const landed = browserLands(result);
      expect(landed.origin, label).toBe(ORIGIN);
      expect(landed.pathname + landed.search + landed.hash, label).toBe(result);
      expect(safeReturnTo(result, '/'), label).toBe(result);
      let decoded = result;
      for (let i = 0; i < 4; i++) {
        decoded = decodeURIComponent(decoded);
        expect(browserLands(decoded).origin, label).toBe(ORIGIN);
        expect(new URL(decoded, `${ORIGIN}/`).pathname.startsWith('//'), label).toBe(false);
      }
    }
  });
});

const query = (href: string) => new URL(href, 'http://app.test').searchParams;

describe('loginHref', () => {
  it('builds /login links whose hints pass the login route’s allowlist unchanged', () => {
    const href = loginHref({
      returnTo: '/dashboard?tab=1',
      prompt: 'create',
      loginHint: 'ada@acme.io',
      domainHint: 'acme.io',
      provider: 'github',
      organizationId: 'org_123',
      connectionId: 'conn_456',
    });
    expect(href.startsWith('/login?')).toBe(true);
    expect(query(href).get('returnTo')).toBe('/dashboard?tab=1');
    expect(parseLoginHints(query(href))).toEqual({
      prompt: 'create',
      loginHint: 'ada@acme.io',
      domainHint: 'acme.io',
      provider: 'github',
      organizationId: 'org_123',
      connectionId: 'conn_456',
    });
  });

  it('leaves out empty hints and is plain /login with none', () => {
    expect(loginHref()).toBe('/login');
    expect(loginHref({ loginHint: '  ', provider: undefined })).toBe('/login');
  });
});

describe('emailDomain', () => {
  it('takes the domain of a work email, lower-cased', () => {
    expect(emailDomain(' Ada@Acme.IO ')).toBe('acme.io');
    expect(emailDomain('not an email')).toBeUndefined();
    expect(emailDomain('ada@localhost')).toBeUndefined();
  });
});
