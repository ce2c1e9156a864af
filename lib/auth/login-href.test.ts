import { describe, expect, it } from 'vitest';
import { emailDomain, loginHref } from './login-href';
import { parseLoginHints } from '@/lib/server/login/start';

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
