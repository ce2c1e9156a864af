import 'server-only';
import { getConfig } from './config';

/**
 * Which `iss` values tokens may carry. Scalekit's docs only say `iss` is "the environment URL",
 * yet with a custom auth domain their own access-token example carries the custom domain. So the
 * trusted issuers are the configured env URL plus the `issuer` that env URL's discovery document
 * advertises. The document comes from the same origin, over the same TLS, as the signing keys
 * (`{envUrl}/keys`): whoever could lie in it could already sign any token, so it adds no trust.
 *
 * It is fetched only when a token's `iss` is not already trusted, so the common case (iss = env
 * URL) never waits on it; the answer is kept, and a failed or unhelpful fetch is not repeated for
 * RETRY_AFTER_MS, so a stream of such tokens cannot turn into a stream of requests.
 */

const RETRY_AFTER_MS = 30_000;
const TIMEOUT_MS = 5_000;

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
      signal: AbortSignal.timeout(TIMEOUT_MS),
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
 * discovery document at most once per RETRY_AFTER_MS. 'unavailable' = the document could not be
 * read, which says nothing about the token (like an unreachable JWKS).
 */
export async function isAdvertisedIssuer(
  iss: string,
): Promise<'trusted' | 'untrusted' | 'unavailable'> {
  const state = current();
  if (!state.issuers.includes(iss) && Date.now() - state.checkedAt >= RETRY_AFTER_MS) {
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

/** Tests only: forget what discovery said. */
export function resetIssuersForTests(): void {
  known = undefined;
}
