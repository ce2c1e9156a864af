import 'server-only';
import { hostnameOf, isLoopbackHostname } from '@/lib/server/http/hosts';

/**
 * Checks on an otherwise well-formed configuration that refuse what is unsafe to serve: a
 * guessable cookie secret, plain http to a public host, a host wildcard over a public suffix.
 * lib/server/config.ts runs them after parsing, so `next start` (instrumentation.ts) stops at boot with
 * these messages. Each names the variable and the fix, never a secret's value.
 */
export type ParsedForChecks = Readonly<{
  scalekit: Readonly<{ envUrl: string }>;
  cookieSecrets: readonly string[];
  appUrl: string | undefined;
  allowedHosts: readonly string[];
  exampleApiUrl: string | null;
  isProduction: boolean;
}>;

export function unsafeConfigProblems(config: ParsedForChecks): string[] {
  const problems = allowedHostsProblems(config.allowedHosts);
  if (!config.isProduction) return problems;
  return [
    ...weakSecretProblems(config.cookieSecrets),
    ...plainHttpProblems([
      ['APP_URL', config.appUrl],
      ['SCALEKIT_ENVIRONMENT_URL (or SCALEKIT_ENV_URL)', config.scalekit.envUrl],
      ['EXAMPLE_API_URL', config.exampleApiUrl ?? undefined],
    ]),
    ...problems,
  ];
}

/** Fewer different characters than this cannot be random (32+ random base64 chars have ~25). */
const MIN_DISTINCT_CHARACTERS = 8;
/** Compared after lower-casing and dropping everything but letters and digits. */
const PLACEHOLDER_WORDS = [
  'changeme',
  'replaceme',
  'placeholder',
  'yoursecret',
  'password',
  'example',
  'default',
  'insecure',
  'donotuse',
  'dontuse',
  'opensslrand',
];

/** Why a secret is guessable, or null. A repeated pattern is one with a period of at most half. */
export function weakSecretReason(secret: string): string | null {
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) return 'too few different characters';
  for (let period = 1; period <= secret.length / 2; period++) {
    if (secret.slice(period) === secret.slice(0, -period)) return 'a repeated pattern';
  }
  const letters = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  const word = PLACEHOLDER_WORDS.find((w) => letters.includes(w));
  return word ? `a placeholder word ("${word}")` : null;
}

// Security: the key of every session cookie derives from this secret; in production one that can
// be guessed is as good as none. Random output (`openssl rand -base64 32`) always passes.
function weakSecretProblems(secrets: readonly string[]): string[] {
  return secrets.flatMap((secret, index) => {
    const reason = weakSecretReason(secret);
    if (!reason) return [];
    const which = secrets.length > 1 ? ` (secret ${index + 1} of ${secrets.length})` : '';
    return [
      `SESSION_COOKIE_SECRET${which} is not random: ${reason}. Generate a new one with \`openssl rand -base64 32\`.`,
    ];
  });
}

// Security: plain http to a public host exposes tokens and codes on the wire (APP_URL: session
// cookies and the callback; the env URL: the client secret; the example API: access tokens).
function plainHttpProblems(urls: [name: string, value: string | undefined][]): string[] {
  return urls.flatMap(([name, value]) => {
    if (!value) return [];
    const url = new URL(value);
    if (url.protocol !== 'http:' || isLoopbackHostname(url.hostname)) return [];
    return [
      `${name} uses http:// on a public host (${url.hostname}). Use https:// in production; plain http is allowed only for localhost, 127.0.0.1 and ::1.`,
    ];
  });
}

/** Second-level labels that registries sell under country codes (`co.uk`, `com.au`, `ac.jp`). */
const COUNTRY_SECOND_LEVELS = new Set(
  'ac co com edu gov net org mil int ltd plc sch nom gen biz info or ne go gob lg nic web res me firm ind'.split(
    ' ',
  ),
);

/** True when `*.suffix` would cover other people's sites: a TLD, a `co.uk`-style suffix, or IPs. */
function isPublicSuffixLike(suffix: string): boolean {
  const labels = suffix.split('.');
  const last = labels[labels.length - 1]!;
  if (labels.length === 1 || /^\d+$/.test(last)) return true;
  return labels.length === 2 && last.length === 2 && COUNTRY_SECOND_LEVELS.has(labels[0]!);
}

// Security: a wildcard must sit on a registrable domain the deployer controls; `*.com` answers as
// any site under .com. Platform suffixes such as `*.vercel.app` (the documented preview set-up)
// pass on purpose: the platform routes each host only to its own deployment, so another
// tenant's host never reaches this app.
function allowedHostsProblems(patterns: readonly string[]): string[] {
  return patterns
    .filter((p) => p.startsWith('*.') && isPublicSuffixLike(hostnameOf(p.slice(2))))
    .map(
      (p) =>
        `ALLOWED_HOSTS: "${p}" puts the wildcard on a public suffix, so it would accept any site under it. Put it on your own domain (e.g. *.preview.example.com) or list the hosts exactly.`,
    );
}
