import { describe, expect, it } from 'vitest';
import { parseLoginHints } from '@/lib/server/login/start';
import { loginHref, SOCIAL_PROVIDERS } from './paths';
import { isSocialProvider, providerLabel, socialProvider } from './social';

describe('socialProvider', () => {
  it.each(SOCIAL_PROVIDERS)(
    'accepts %s, and the login route keeps it as the provider hint',
    (p) => {
      expect(socialProvider(p)).toBe(p);
      const query = new URL(loginHref({ provider: socialProvider(p) }), 'http://app').searchParams;
      expect(parseLoginHints(query).provider).toBe(p);
    },
  );

  it('normalises case and surrounding space the way a config file might spell it', () => {
    expect(socialProvider(' GitHub ')).toBe('github');
    expect(socialProvider('LINKEDIN')).toBe('linkedin');
  });

  it.each([
    'facebook',
    'google-oauth2',
    'git hub',
    '',
    'google&prompt=none',
    '__proto__',
    'constructor',
  ])('refuses %j with a message naming the valid providers', (value) => {
    expect(() => socialProvider(value)).toThrow(TypeError);
    expect(() => socialProvider(value)).toThrow(/one of google, github, microsoft, gitlab/);
  });

  it.each([undefined, null, 42, ['google'], { provider: 'google' }])(
    'refuses the non-string %j',
    (value) => {
      expect(() => socialProvider(value)).toThrow(/is not a social provider/);
    },
  );

  it('isSocialProvider is exact: no case folding, nothing inherited from Object', () => {
    expect(isSocialProvider('google')).toBe(true);
    expect(isSocialProvider('Google')).toBe(false);
    expect(isSocialProvider('toString')).toBe(false);
  });
});

describe('providerLabel', () => {
  it.each([
    ['google', 'Google'],
    ['github', 'GitHub'],
    ['microsoft', 'Microsoft'],
    ['gitlab', 'GitLab'],
    ['linkedin', 'LinkedIn'],
    ['salesforce', 'Salesforce'],
  ])('%s reads %s', (provider, label) => {
    expect(providerLabel(provider)).toBe(label);
  });

  it('a provider without a label of its own still reads as a name', () => {
    expect(providerLabel('apple')).toBe('Apple');
    expect(providerLabel('toString')).toBe('ToString');
  });
});
