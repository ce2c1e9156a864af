/**
 * SocialButton and the shared sign-in choices, rendered to HTML the way a Server Component is:
 * what links a visitor gets, before any JavaScript runs. The e2e spec follows them to the IdP.
 */
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AuthCard } from '@/components/auth/auth-card';
import { SocialButton } from '@/components/auth/social-button';
import type { SocialProvider } from '@/lib/auth/paths';

const doc = (html: string) => {
  // Enough of a parser for these assertions: every <a>, <form> and <input> with its attributes
  // (names lower-cased, as HTML reads them).
  const tags = [...html.matchAll(/<(a|form|input)\s([^>]*)>/g)].map(([, tag, attrs]) => ({
    tag,
    attrs: Object.fromEntries(
      [...attrs!.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [
        k!.toLowerCase(),
        v!.replace(/&amp;/g, '&'),
      ]),
    ),
  }));
  return { html, links: tags.filter((t) => t.tag === 'a').map((t) => t.attrs), tags };
};

describe('SocialButton', () => {
  it('is a plain link to /login with the provider and returnTo, labelled for the provider', () => {
    const { links, html } = doc(
      renderToStaticMarkup(h(SocialButton, { provider: 'github', returnTo: '/admin' })),
    );
    expect(links).toHaveLength(1);
    expect(links[0]!.href).toBe('/login?returnTo=%2Fadmin&provider=github');
    expect(html).toContain('Continue with GitHub');
    expect(html).toContain('aria-hidden="true"');
  });

  it('the sign-up view asks for prompt=create; a connection id rides along', () => {
    const { links } = doc(
      renderToStaticMarkup(
        h(SocialButton, { provider: 'google', view: 'sign-up', connectionId: 'conn_123' }),
      ),
    );
    expect(links[0]!.href).toBe('/login?prompt=create&provider=google&connection_id=conn_123');
  });

  it('icon-only keeps its name for screen readers', () => {
    const { links, html } = doc(
      renderToStaticMarkup(h(SocialButton, { provider: 'microsoft', display: 'icon' })),
    );
    expect(links[0]!['aria-label']).toBe('Continue with Microsoft');
    expect(html).not.toContain('>Continue with Microsoft<');
  });

  it('asChild hands href and classes to your own element', () => {
    const { tags } = doc(
      renderToStaticMarkup(
        h(SocialButton, { provider: 'gitlab', asChild: true, label: 'GitLab' }, h('a', null, 'Go')),
      ),
    );
    expect(tags).toHaveLength(1);
    expect(tags[0]!.attrs.href).toBe('/login?provider=gitlab');
    expect(tags[0]!.attrs.class).toContain('inline-flex');
  });

  it('an unknown provider is a clear error, not a button that silently does something else', () => {
    expect(() =>
      renderToStaticMarkup(h(SocialButton, { provider: 'facebook' as SocialProvider })),
    ).toThrow(/"facebook" is not a social provider/);
  });
});

describe('AuthCard (the /sign-in page)', () => {
  it('offers the same choices as the dialog, all to /login, each keeping returnTo', () => {
    const { links, tags, html } = doc(
      renderToStaticMarkup(h(AuthCard, { view: 'sign-in', returnTo: '/admin' })),
    );
    expect(html).toContain('<h1');
    expect(links.map((l) => l.href)).toEqual([
      '/login?returnTo=%2Fadmin',
      '/login?returnTo=%2Fadmin&provider=google',
      '/login?returnTo=%2Fadmin&provider=github',
      '/login?returnTo=%2Fadmin&provider=microsoft',
      '/sign-in?view=sign-up&returnTo=%2Fadmin',
    ]);
    // The SSO form works without JavaScript: a GET to /login carrying login_hint and returnTo.
    const form = tags.find((t) => t.tag === 'form')!.attrs;
    expect(form).toMatchObject({ action: '/login', method: 'get' });
    const inputs = tags.filter((t) => t.tag === 'input').map((t) => t.attrs);
    expect(inputs).toContainEqual(
      expect.objectContaining({ type: 'hidden', name: 'returnTo', value: '/admin' }),
    );
    expect(inputs).toContainEqual(
      expect.objectContaining({ name: 'login_hint', type: 'email', autocomplete: 'email' }),
    );
  });

  it('the sign-up view asks for prompt=create everywhere and links back to sign-in', () => {
    const { links, html } = doc(
      renderToStaticMarkup(
        h(AuthCard, { view: 'sign-up', socialProviders: ['linkedin'], returnTo: '/x' }),
      ),
    );
    expect(html).toContain('Create your account');
    expect(links.map((l) => l.href)).toEqual([
      '/login?returnTo=%2Fx&prompt=create',
      '/login?returnTo=%2Fx&prompt=create&provider=linkedin',
      '/sign-in?returnTo=%2Fx',
    ]);
  });
});
