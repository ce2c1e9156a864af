import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ThemeProvider } from '@/components/theme-provider';

// React warns ("Encountered a script tag while rendering React component") when it creates an
// executable <script> on the client, as it does when forbidden() renders the 403 page. The theme
// script must still execute from the server's HTML, or dark-mode visitors see a light flash.

const render = () => renderToString(createElement(ThemeProvider, null, 'page'));
const scriptTag = (html: string) => /<script[^>]*>/.exec(html)?.[0] ?? '';

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe('the theme script', () => {
  it('is an executable script in the server HTML', () => {
    const tag = scriptTag(render());
    expect(tag).toContain('type="text/javascript"');
  });

  it('is a data block (which React does not warn about) when rendered on the client', () => {
    (globalThis as { window?: unknown }).window = globalThis;
    const tag = scriptTag(render());
    expect(tag).toContain('type="text/plain"');
  });
});
