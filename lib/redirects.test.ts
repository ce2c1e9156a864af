import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, safeReturnTo } from './redirects';

describe('safeReturnTo', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard?tab=team#members', '/dashboard?tab=team#members'],
    ['/a/b/../c', '/a/c'],
    ['/search?q=%2F%2Fnot-a-host', '/search?q=%2F%2Fnot-a-host'],
  ])('keeps the same-origin path %s', (input, expected) => {
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

  it('never returns anything but a single-slash path for any of the payloads', () => {
    for (const payload of openRedirects) {
      const result = safeReturnTo(payload, '/');
      expect(result.startsWith('/')).toBe(true);
      expect(result.startsWith('//')).toBe(false);
      expect(new URL(result, 'https://app.example').origin).toBe('https://app.example');
    }
  });

  it('keeps unicode look-alike slashes on this origin', () => {
    // U+FF0F FULLWIDTH SOLIDUS and U+2215 DIVISION SLASH are not slashes to a URL parser.
    for (const input of ['/\uFF0Fevil.com', '/\u2215evil.com']) {
      const result = safeReturnTo(input);
      expect(new URL(result, 'https://app.example').origin).toBe('https://app.example');
    }
  });

  it('rejects non-string input', () => {
    expect(safeReturnTo(undefined)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(null)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(['/dashboard'])).toBe(DEFAULT_RETURN_TO);
  });
});
