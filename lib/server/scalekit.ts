import 'server-only';
import { ScalekitClient } from '@scalekit-sdk/node';
import { getConfig } from '@/lib/server/config';
import { exposeToTests } from '@/lib/server/test-seams';

/**
 * Scalekit, the IdP, as this server talks to it: the SDK client, the issuers its tokens may
 * carry, whether it is answering at all, and how to read its failures.
 */

// Security: the client secret lives in this server-only module; importing it from a Client
// Component fails the build instead of shipping the secret to browsers.

const globalForScalekit = globalThis as unknown as { __scalekit?: ScalekitClient };

/** The SDK client, built once per process (and kept across dev hot reloads). */
export function getScalekit(): ScalekitClient {
  if (!globalForScalekit.__scalekit) {
    const { envUrl, clientId, clientSecret } = getConfig().scalekit;
    // A bounded timeout turns a hung IdP into an error we can classify as "unavailable".
    globalForScalekit.__scalekit = new ScalekitClient(envUrl, clientId, clientSecret, {
      timeoutMs: 10_000,
    });
  }
  return globalForScalekit.__scalekit;
}

exposeToTests('resetScalekit', () => {
  globalForScalekit.__scalekit = undefined;
});

// ---- Issuers ----

/**
 * Which `iss` values tokens may carry. Scalekit's docs only say `iss` is "the environment URL",
 * yet with a custom auth domain their own access-token example carries the custom domain. So the
 * trusted issuers are the configured env URL plus the `issuer` that env URL's discovery document
 * advertises. The document comes from the same origin, over the same TLS, as the signing keys
 * (`{envUrl}/keys`): whoever could lie in it could already sign any token, so it adds no trust.
 *
 * It is fetched only when a token's `iss` is not already trusted, so the common case (iss = env
 * URL) never waits on it; the answer is kept, and a failed or unhelpful fetch is not repeated for
 * DISCOVERY_RETRY_AFTER_MS, so a stream of such tokens cannot turn into a stream of requests.
 */

const DISCOVERY_RETRY_AFTER_MS = 30_000;
const DISCOVERY_TIMEOUT_MS = 5_000;

type Known = {
  envUrl: string;
  /** The trusted list handed to jose, rebuilt only when it changes. */
  issuers: string[];
  checkedAt: number;
  failed: boolean;
  pending?: Promise<void>;
};

let known: Known | undefined;

function current(): Known {
  const { envUrl } = getConfig().scalekit;
  if (known?.envUrl !== envUrl) {
    known = { envUrl, issuers: [envUrl], checkedAt: 0, failed: false };
  }
  return known;
}

/** The issuers a token may name right now: the env URL, plus the advertised one once known. */
export function trustedIssuers(): string[] {
  return current().issuers;
}

async function discover(state: Known): Promise<void> {
  try {
    const response = await fetch(`${state.envUrl}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const { issuer } = (await response.json()) as { issuer?: unknown };
    if (typeof issuer !== 'string' || !/^https?:\/\/[^\s]+$/.test(issuer)) {
      throw new Error('discovery document has no usable issuer');
    }
    state.issuers = issuer === state.envUrl ? [state.envUrl] : [state.envUrl, issuer];
    state.failed = false;
  } catch {
    state.failed = true;
  } finally {
    state.checkedAt = Date.now();
  }
}

/**
 * A verified signature named an issuer outside trustedIssuers(): may it be trusted? Fetches the
 * discovery document at most once per DISCOVERY_RETRY_AFTER_MS. 'unavailable' = the document could not be
 * read, which says nothing about the token (like an unreachable JWKS).
 */
export async function isAdvertisedIssuer(
  iss: string,
): Promise<'trusted' | 'untrusted' | 'unavailable'> {
  const state = current();
  if (!state.issuers.includes(iss) && Date.now() - state.checkedAt >= DISCOVERY_RETRY_AFTER_MS) {
    state.pending ??= discover(state).finally(() => {
      state.pending = undefined;
    });
    await state.pending;
  } else if (state.pending) {
    await state.pending;
  }
  if (state.issuers.includes(iss)) return 'trusted';
  return state.failed ? 'unavailable' : 'untrusted';
}

exposeToTests('resetIssuers', () => {
  known = undefined;
});

// ---- Reachability ----

/**
 * A cheap "is the IdP answering at all?" check before sending a browser there. Without it, an
 * outage shows the user the browser's own connection error instead of a page of ours that says
 * what happened and keeps their place. Results are cached briefly so sign-ins do not each pay a
 * round trip.
 */
const UP_TTL_MS = 30_000;
const DOWN_TTL_MS = 3_000;
const HEALTH_TIMEOUT_MS = 2_000;

let cached: { up: boolean; until: number; url: string } | undefined;

export async function isIdpReachable(): Promise<boolean> {
  const url = `${getConfig().scalekit.envUrl}/keys`;
  const now = Date.now();
  if (cached && cached.url === url && cached.until > now) return cached.up;
  let up: boolean;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      cache: 'no-store',
    });
    await response.body?.cancel();
    up = response.status < 500;
  } catch {
    up = false;
  }
  cached = { up, url, until: now + (up ? UP_TTL_MS : DOWN_TTL_MS) };
  return up;
}

exposeToTests('resetIdpHealth', () => {
  cached = undefined;
});

// ---- Reading its failures ----

/**
 * Tells "the IdP said no" from "the IdP could not answer". The SDK's refreshAccessToken rewraps
 * errors as `Failed to refresh token: <axios message>` and drops the response, so the only
 * reliable signal left is that message: axios writes "Request failed with status code NNN" for
 * an HTTP answer, and a network message (ECONNREFUSED, timeout, socket hang up) otherwise.
 * tests/idp-errors.test.ts pins that format against the real SDK, so an SDK update that changes
 * it fails a test instead of quietly turning outages into logouts (or the other way round).
 */
export type IdpFailure = 'rejected' | 'unavailable';

export function classifyIdpError(error: unknown): IdpFailure {
  const status = httpStatus(error);
  if (status !== undefined) {
    // 408 and 429 are 4xx but say "not now", not "no": rate limiting must not log anyone out.
    if (status === 408 || status === 429) return 'unavailable';
    return status >= 400 && status < 500 ? 'rejected' : 'unavailable';
  }
  // No HTTP answer at all (refused, reset, timed out, DNS): nothing was decided about the token.
  return 'unavailable';
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const response = (error as { response?: { status?: unknown } }).response;
  if (typeof response?.status === 'number') return response.status;
  const message = error instanceof Error ? error.message : '';
  const match = /status code (\d{3})\b/.exec(message);
  return match ? Number(match[1]) : undefined;
}
