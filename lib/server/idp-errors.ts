import 'server-only';

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
