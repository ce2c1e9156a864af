import 'server-only';
import { z } from 'zod';
import { AuthError } from '@/lib/auth/outcomes';
import { exposeToTests } from '@/lib/server/test-seams';

/**
 * Every environment variable the app reads, read once and validated here.
 * Nothing else in app/, lib/ or components/ touches process.env (eslint enforces it).
 *
 * Validation is lazy (first call to getConfig()) so `next build` works without secrets;
 * instrumentation.ts calls it at server start so a bad deployment fails at boot, not on
 * the first sign-in.
 */

const MIN_SECRET_LENGTH = 32;
const HOST_PATTERN =
  /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

const seconds = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : Number(v)))
    .refine(
      (n) => Number.isInteger(n) && n >= 60,
      `${name} must be a whole number of seconds, at least 60 (default ${fallback}).`,
    );

const flag = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', ''], { error: `${name} must be "true" or "false".` })
    .optional()
    .transform((v) => v === 'true' || v === '1');

const httpUrl = (name: string, hint: string) =>
  z
    .string({ error: `${name} is not set. ${hint}` })
    .trim()
    .min(1, `${name} is empty. ${hint}`)
    .refine((v) => URL.canParse(v), `${name} must be an absolute URL (got something else). ${hint}`)
    .transform((v) => new URL(v))
    .refine(
      (u) => u.protocol === 'https:' || u.protocol === 'http:',
      `${name} must start with https:// (or http:// for local development). ${hint}`,
    )
    .transform((u) => u.origin + u.pathname.replace(/\/+$/, ''));

const requiredString = (name: string, hint: string) =>
  z
    .string({ error: `${name} is not set. ${hint}` })
    .trim()
    .min(1, `${name} is empty. ${hint}`);

const DASHBOARD_HINT =
  'Copy it from the Scalekit dashboard (Developers > API Credentials) into .env.local, or unset all SCALEKIT_* variables and run `npm run dev` to use the bundled local IdP.';

/**
 * Scalekit's own pages use both names (quickstart and API reference: SCALEKIT_ENVIRONMENT_URL;
 * SDK README and the Next.js cookbook: SCALEKIT_ENV_URL), so either works.
 */
const ENV_URL_NAMES = 'SCALEKIT_ENVIRONMENT_URL (or SCALEKIT_ENV_URL)';

const withoutTrailingSlash = (v: string) => v.trim().replace(/\/+$/, '');

/** The env URL from whichever name is set; both set to different URLs is an error. */
function envUrlInput(env: Env): { value: string | undefined; conflict?: string } {
  const long = env.SCALEKIT_ENVIRONMENT_URL?.trim() || undefined;
  const short = env.SCALEKIT_ENV_URL?.trim() || undefined;
  if (long && short && withoutTrailingSlash(long) !== withoutTrailingSlash(short)) {
    return {
      value: long,
      conflict:
        'SCALEKIT_ENVIRONMENT_URL and SCALEKIT_ENV_URL are both set, to different URLs. They are two names for the same value: keep one (or set both to the same URL).',
    };
  }
  return { value: long ?? short };
}

// ---- Analytics (docs/9-analytics.md) ----

export type AnalyticsSinkName = 'stdout' | 'redis' | 'webhook';
const SINK_NAMES = ['stdout', 'redis', 'webhook', 'none'] as const;

export type AnalyticsConfig = Readonly<{
  /** Where events go. Empty: nowhere but the in-memory activity store. */
  sinks: readonly AnalyticsSinkName[];
  redisStream: string;
  /** Approximate cap of the stream (`XADD … MAXLEN ~`). */
  redisMaxLen: number;
  webhook: Readonly<{ url: string; secret: string }> | null;
  /** Events one sink may hold while it is down; past it the oldest are dropped and counted. */
  bufferMax: number;
}>;

const wholeNumber = (name: string, fallback: number, min: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : Number(v)))
    .refine(
      (n) => Number.isInteger(n) && n >= min,
      `${name} must be a whole number, at least ${min} (default ${fallback}).`,
    );

const analyticsEnv = {
  ANALYTICS_SINKS: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined || v.trim() === ''
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
    )
    .refine(
      (list) =>
        list === undefined || list.every((s) => (SINK_NAMES as readonly string[]).includes(s)),
      `ANALYTICS_SINKS must be a comma-separated list of ${SINK_NAMES.join(', ')} (e.g. redis,webhook), or unset for the default (redis when REDIS_URL is set, webhook when ANALYTICS_WEBHOOK_URL is, else stdout).`,
    ),
  ANALYTICS_REDIS_STREAM: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'analytics:events')
    .refine(
      (v) => /^[\w:.-]{1,100}$/.test(v),
      'ANALYTICS_REDIS_STREAM must be a Redis key of letters, digits and _ : . - (default analytics:events).',
    ),
  ANALYTICS_REDIS_MAXLEN: wholeNumber('ANALYTICS_REDIS_MAXLEN', 100_000, 1_000),
  ANALYTICS_WEBHOOK_URL: httpUrl(
    'ANALYTICS_WEBHOOK_URL',
    'Set it to the endpoint that receives analytics batches, e.g. https://hooks.example.com/analytics, or leave it unset.',
  ).optional(),
  ANALYTICS_WEBHOOK_SECRET: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine(
      (v) => v === undefined || /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(v),
      'ANALYTICS_WEBHOOK_SECRET must be a Standard Webhooks secret: "whsec_" followed by at least 24 random bytes in base64. Generate one with `echo whsec_$(openssl rand -base64 32)`.',
    ),
  ANALYTICS_BUFFER_MAX: wholeNumber('ANALYTICS_BUFFER_MAX', 10_000, 100),
};

type AnalyticsEnv = { [K in keyof typeof analyticsEnv]?: z.output<(typeof analyticsEnv)[K]> } & {
  ANALYTICS_REDIS_STREAM: string;
  ANALYTICS_REDIS_MAXLEN: number;
  ANALYTICS_BUFFER_MAX: number;
  REDIS_URL?: string;
};

function analyticsConfig(c: AnalyticsEnv): AnalyticsConfig {
  const listed = c.ANALYTICS_SINKS;
  const sinks: AnalyticsSinkName[] = listed
    ? listed.filter((s): s is AnalyticsSinkName => s !== 'none')
    : [
        ...(c.REDIS_URL ? (['redis'] as const) : []),
        ...(c.ANALYTICS_WEBHOOK_URL ? (['webhook'] as const) : []),
      ];
  if (!listed && sinks.length === 0) sinks.push('stdout');
  const problems: string[] = [];
  if (sinks.includes('redis') && !c.REDIS_URL) {
    problems.push(
      'ANALYTICS_SINKS lists redis but REDIS_URL is not set. Set REDIS_URL or drop redis from the list.',
    );
  }
  if (sinks.includes('webhook') && !c.ANALYTICS_WEBHOOK_URL) {
    problems.push(
      'ANALYTICS_SINKS lists webhook but ANALYTICS_WEBHOOK_URL is not set. Set it or drop webhook from the list.',
    );
  }
  if (c.ANALYTICS_WEBHOOK_URL && !c.ANALYTICS_WEBHOOK_SECRET) {
    problems.push(
      'ANALYTICS_WEBHOOK_URL is set without ANALYTICS_WEBHOOK_SECRET, so the receiver could not tell our batches from forged ones. Generate one with `echo whsec_$(openssl rand -base64 32)`.',
    );
  }
  if (problems.length > 0) {
    throw new AuthError(
      'config_invalid',
      `Analytics is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
  }
  return Object.freeze({
    sinks: Object.freeze(sinks),
    redisStream: c.ANALYTICS_REDIS_STREAM,
    redisMaxLen: c.ANALYTICS_REDIS_MAXLEN,
    webhook:
      sinks.includes('webhook') && c.ANALYTICS_WEBHOOK_URL && c.ANALYTICS_WEBHOOK_SECRET
        ? Object.freeze({ url: c.ANALYTICS_WEBHOOK_URL, secret: c.ANALYTICS_WEBHOOK_SECRET })
        : null,
    bufferMax: c.ANALYTICS_BUFFER_MAX,
  });
}

const schema = z.object({
  SCALEKIT_ENV_URL: httpUrl(ENV_URL_NAMES, DASHBOARD_HINT),
  SCALEKIT_CLIENT_ID: requiredString('SCALEKIT_CLIENT_ID', DASHBOARD_HINT),
  SCALEKIT_CLIENT_SECRET: requiredString('SCALEKIT_CLIENT_SECRET', DASHBOARD_HINT),
  SESSION_COOKIE_SECRET: z
    .string({
      error:
        'SESSION_COOKIE_SECRET is not set. Generate one with `openssl rand -base64 32` and put it in .env.local.',
    })
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.length > 0,
      'SESSION_COOKIE_SECRET is empty. Generate one with `openssl rand -base64 32`.',
    )
    .refine(
      (list) => list.every((s) => s.length >= MIN_SECRET_LENGTH),
      `SESSION_COOKIE_SECRET: every comma-separated secret must be at least ${MIN_SECRET_LENGTH} characters. Generate one with \`openssl rand -base64 32\`.`,
    ),
  APP_URL: httpUrl(
    'APP_URL',
    'Set it to the public origin of this app, e.g. https://app.example.com (callback and post-logout URLs derive from it).',
  )
    .refine(
      (u) => new URL(u).pathname === '/',
      'APP_URL must be an origin only, without a path (e.g. https://app.example.com).',
    )
    .transform((u) => new URL(u).origin)
    .optional(),
  ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((h) => HOST_PATTERN.test(h)),
      'ALLOWED_HOSTS must be a comma-separated list of host names, optionally with a port or a leading "*." wildcard (e.g. app.example.com,*.vercel.app).',
    ),
  TRUST_PROXY_HEADERS: flag('TRUST_PROXY_HEADERS'),
  SESSION_MAX_AGE: seconds('SESSION_MAX_AGE', 7 * 24 * 3600),
  SESSION_IDLE_TIMEOUT: seconds('SESSION_IDLE_TIMEOUT', 24 * 3600),
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine(
      (v) => v === undefined || /^rediss?:\/\/.+/.test(v),
      'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS), or be unset for the in-memory store.',
    ),
  SCALEKIT_ACCESS_TOKEN_AUDIENCE: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((a) => a.length <= 256 && !/[\s,]/.test(a)),
      'SCALEKIT_ACCESS_TOKEN_AUDIENCE must be a comma-separated list of audience values (e.g. https://api.example.com), as registered in the Scalekit dashboard, or unset when access tokens carry the client id.',
    ),
  EXAMPLE_API_URL: httpUrl(
    'EXAMPLE_API_URL',
    'Set it to the base URL of the backend the dashboard calls with the access token, e.g. https://api.example.com, or leave it unset to hide the demo.',
  ).optional(),
  BENCH_ROUTES: flag('BENCH_ROUTES'),
  ...analyticsEnv,
  // ---- Production: process lifecycle ----
  // Next.js's own switch: any non-empty value hands SIGTERM/SIGINT to the app.
  NEXT_MANUAL_SIG_HANDLE: z
    .string()
    .optional()
    .transform((v) => Boolean(v)),
  // Set by Vercel on its functions, where no process receives SIGTERM from this app's operator.
  VERCEL: z
    .string()
    .optional()
    .transform((v) => Boolean(v)),
  // Sessions: revocations made elsewhere arrive as signed webhooks (lib/server/sessions/webhook.ts).
  SCALEKIT_WEBHOOK_SECRET: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine(
      (v) => v === undefined || /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/.test(v),
      'SCALEKIT_WEBHOOK_SECRET must be the signing secret from the Scalekit dashboard (Webhooks > your endpoint), which starts with whsec_, or be unset to turn POST /api/webhooks/scalekit off.',
    ),
});

export type Config = Readonly<{
  scalekit: Readonly<{
    envUrl: string;
    clientId: string;
    clientSecret: string;
    /**
     * Audiences an access token may carry besides the client id. Scalekit's claims page shows an
     * API identifier as `aud` where its other examples show the client id; both are accepted.
     */
    accessTokenAudiences: readonly string[];
  }>;
  /** Newest first: the first seals, every one can open. */
  cookieSecrets: readonly string[];
  /** The app's fixed public origin. When unset, ALLOWED_HOSTS decides per request (lib/server/http.ts). */
  appUrl: string | undefined;
  /** Host patterns (`app.example.com`, `*.vercel.app`) accepted when APP_URL is unset. */
  allowedHosts: readonly string[];
  /** Believe X-Forwarded-Host/-Proto. Only behind a proxy that overwrites them. */
  trustProxyHeaders: boolean;
  session: Readonly<{
    /** Absolute lifetime of one sign-in, refreshes included. */
    maxAgeSeconds: number;
    /** A session not renewed for this long is over, even within its absolute lifetime. */
    idleTimeoutSeconds: number;
  }>;
  /** Shared store for refresh coordination across instances; undefined → in-memory. */
  redisUrl: string | undefined;
  /** The separate backend the dashboard calls with the access token (examples/api-server). */
  exampleApiUrl: string | null;
  isProduction: boolean;
  /**
   * `npm run bench` only: serve /bench/dashboard, the dashboard markup for a fixed fake user with
   * no auth at all, as the baseline the real /dashboard is measured against. It never reads or
   * grants a session. Off unless BENCH_ROUTES=true; the route answers 404 otherwise.
   */
  benchRoutes: boolean;
  analytics: AnalyticsConfig;
  /**
   * NEXT_MANUAL_SIG_HANDLE is set (`npm start` and the Dockerfile set it): the app's stop sequence
   * (lib/server/shutdown.ts) owns SIGTERM instead of Next.js's handler.
   */
  manualSignalHandling: boolean;
  /** Running on Vercel (VERCEL is set): functions, not a long-lived server. */
  onVercel: boolean;
  /**
   * The webhook signing secret (`whsec_...`), or undefined: then POST /api/webhooks/scalekit
   * answers 404 and revocations made outside this app reach it at the session's next refresh.
   */
  webhookSecret: string | undefined;
}>;

type Env = Record<string, string | undefined>;

export function parseConfig(env: Env): Config {
  const isProduction = env.NODE_ENV === 'production';
  const envUrl = envUrlInput(env);
  const input = {
    ...env,
    SCALEKIT_ENV_URL: envUrl.value,
    // Development convenience only: production must say where it lives. PORT is the port the
    // dev server listens on (Next sets it from `-p`), so the callback comes back to it.
    APP_URL:
      env.APP_URL ||
      (isProduction || env.ALLOWED_HOSTS ? undefined : `http://localhost:${env.PORT || 3000}`),
    // `npm run dev` starts the example API on :4000; production calls it only when configured.
    EXAMPLE_API_URL: env.EXAMPLE_API_URL || (isProduction ? undefined : 'http://localhost:4000'),
  };
  const result = schema
    .refine((c) => c.APP_URL || c.ALLOWED_HOSTS.length > 0, {
      message:
        'APP_URL is not set. Set it to the public origin of this app (e.g. https://app.example.com), or set ALLOWED_HOSTS (e.g. *.vercel.app) for preview deployments.',
    })
    .safeParse(input);
  const messages = result.success ? [] : result.error.issues.map((issue) => issue.message);
  if (envUrl.conflict) messages.unshift(envUrl.conflict);
  if (!result.success || messages.length > 0) {
    const lines = messages.map((message) => `  - ${message}`);
    throw new AuthError(
      'config_invalid',
      `Scalekit auth is not configured correctly:\n${lines.join('\n')}\nSee .env.example for every variable.`,
    );
  }
  const c = result.data;
  return refuseUnsafe({
    scalekit: Object.freeze({
      envUrl: c.SCALEKIT_ENV_URL,
      clientId: c.SCALEKIT_CLIENT_ID,
      clientSecret: c.SCALEKIT_CLIENT_SECRET,
      accessTokenAudiences: Object.freeze(c.SCALEKIT_ACCESS_TOKEN_AUDIENCE),
    }),
    cookieSecrets: Object.freeze(c.SESSION_COOKIE_SECRET),
    appUrl: c.APP_URL,
    allowedHosts: Object.freeze(c.ALLOWED_HOSTS),
    trustProxyHeaders: c.TRUST_PROXY_HEADERS,
    session: Object.freeze({
      maxAgeSeconds: c.SESSION_MAX_AGE,
      idleTimeoutSeconds: c.SESSION_IDLE_TIMEOUT,
    }),
    redisUrl: c.REDIS_URL,
    exampleApiUrl: c.EXAMPLE_API_URL ?? null,
    isProduction,
    benchRoutes: c.BENCH_ROUTES,
    analytics: analyticsConfig(c),
    manualSignalHandling: c.NEXT_MANUAL_SIG_HANDLE,
    onVercel: c.VERCEL,
    webhookSecret: c.SCALEKIT_WEBHOOK_SECRET,
  });
}

/** Well-formed but unsafe to serve (below): the same error, at boot. */
function refuseUnsafe(config: Config): Config {
  const problems = unsafeConfigProblems(config);
  if (problems.length > 0) {
    throw new AuthError(
      'config_invalid',
      `Scalekit auth is not safe to serve with this configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
  }
  return Object.freeze(config);
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

exposeToTests('resetConfig', () => {
  cached = undefined;
});

// ---- Production checks ----

/**
 * Checks on an otherwise well-formed configuration that refuse what is unsafe to serve: a
 * guessable cookie secret, plain http to a public host, a host wildcard over a public suffix.
 * parseConfig runs them after parsing, so `next start` (instrumentation.ts) stops at boot with
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

// ---- Host names ----

/**
 * Host-name facts shared by the production checks above and the per-request origin
 * (lib/server/http.ts). Pure, so both can use them.
 */

/** localhost, 127.0.0.0/8 and ::1: the only hosts where plain http is acceptable. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** `host` or `host:port` → `host`. IPv6 literals keep their brackets. */
export function hostnameOf(host: string): string {
  return host.replace(/:\d{1,5}$/, '');
}
