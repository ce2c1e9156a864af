import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO } from './paths';
import {
  authViewCopy,
  otherView,
  parseAuthView,
  signInPageHref,
  signInReturnTo,
} from './sign-in-page';

describe('parseAuthView', () => {
  it('?view=sign-up shows the sign-up view', () => {
    expect(parseAuthView('sign-up')).toBe('sign-up');
  });

  it.each([
    undefined,
    '',
    'sign-in',
    'SIGN_UP',
    'Sign-Up',
    'signup',
    ['sign-up'],
    ['sign-up', 'x'],
  ])('%j shows sign-in', (value) => {
    expect(parseAuthView(value)).toBe('sign-in');
  });
});

describe('signInReturnTo', () => {
  it.each([
    ['/dashboard/sidebar?collapsed=1', '/dashboard/sidebar?collapsed=1'],
    ['/admin', '/admin'],
    ['/a/../settings', '/settings'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(signInReturnTo(input)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    'javascript:alert(1)',
    ['/admin', '/dashboard'],
  ])('sends %j to the default instead', (input) => {
    expect(signInReturnTo(input)).toBe(DEFAULT_RETURN_TO);
  });

  // A signed-in visitor is redirected straight to it: these would loop or undo the sign-in.
  it.each([
    '/sign-in',
    '/sign-in/',
    '/sign-in?view=sign-up',
    '/login?provider=google',
    '/logout',
    '/a/../sign-in',
  ])('never lands on the sign-in routes themselves (%s)', (input) => {
    expect(signInReturnTo(input)).toBe(DEFAULT_RETURN_TO);
  });

  it('a page whose name merely starts like one is fine', () => {
    expect(signInReturnTo('/sign-in-help')).toBe('/sign-in-help');
  });
});

describe('signInPageHref', () => {
  it('links each view, carrying returnTo encoded', () => {
    expect(signInPageHref()).toBe('/sign-in');
    expect(signInPageHref({ view: 'sign-in', returnTo: '/admin' })).toBe(
      '/sign-in?returnTo=%2Fadmin',
    );
    expect(signInPageHref({ view: 'sign-up', returnTo: '/a?b=1&c=2' })).toBe(
      '/sign-in?view=sign-up&returnTo=%2Fa%3Fb%3D1%26c%3D2',
    );
  });

  it('round-trips: the page reads back the view and returnTo the link carries', () => {
    const url = new URL(signInPageHref({ view: 'sign-up', returnTo: '/x?y=1' }), 'http://app');
    expect(parseAuthView(url.searchParams.get('view'))).toBe('sign-up');
    expect(signInReturnTo(url.searchParams.get('returnTo'))).toBe('/x?y=1');
  });
});

describe('authViewCopy', () => {
  it('sign-up asks the hosted page for its sign-up view; sign-in asks for nothing', () => {
    expect(authViewCopy('sign-up').prompt).toBe('create');
    expect(authViewCopy('sign-in').prompt).toBeUndefined();
    expect(authViewCopy('sign-in', 'Globex').title).toBe('Sign in to Globex');
    expect(otherView('sign-in')).toBe('sign-up');
    expect(otherView('sign-up')).toBe('sign-in');
  });
});
