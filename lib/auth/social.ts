import { SOCIAL_PROVIDERS, type SocialProvider } from './paths';

/**
 * Social providers as the components show them. No server-only import: SocialButton renders in
 * Server and Client Components alike.
 */

/** The providers the auth dialog and the /sign-in card offer unless told otherwise. */
export const DEFAULT_SOCIAL_PROVIDERS: readonly SocialProvider[] = [
  'google',
  'github',
  'microsoft',
];

// A Map, not an object literal: `toString` and friends must not read as labels.
const LABELS = new Map<string, string>([
  ['google', 'Google'],
  ['github', 'GitHub'],
  ['microsoft', 'Microsoft'],
  ['gitlab', 'GitLab'],
  ['linkedin', 'LinkedIn'],
  ['salesforce', 'Salesforce'],
]);

export function isSocialProvider(value: unknown): value is SocialProvider {
  return typeof value === 'string' && (SOCIAL_PROVIDERS as readonly string[]).includes(value);
}

/**
 * `' GitHub '` → `'github'`. Throws for a provider the login route would drop: a button that
 * silently lands on the plain hosted page instead of the provider is worse than a clear error.
 */
export function socialProvider(value: unknown): SocialProvider {
  const normalised = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (isSocialProvider(normalised)) return normalised;
  throw new TypeError(
    `SocialButton: ${JSON.stringify(value)} is not a social provider. Use one of ` +
      `${SOCIAL_PROVIDERS.join(', ')} (the values Scalekit's \`provider\` parameter takes), and ` +
      'enable that connection in your Scalekit environment.',
  );
}

/** `'github'` → `'GitHub'`; a provider added to SOCIAL_PROVIDERS without a label reads `'Apple'`. */
export function providerLabel(provider: string): string {
  return LABELS.get(provider) ?? provider.charAt(0).toUpperCase() + provider.slice(1);
}
