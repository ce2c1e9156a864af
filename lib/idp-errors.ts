import 'server-only';

/**
 * Tells "the IdP said no" from "the IdP could not answer". The SDK's refreshAccessToken rewraps
 * errors as `Failed to refresh token: <axios message>` and drops the response, so the only
 * reliable signal left is that message: axios writes "Request failed with status code NNN" for
 * an HTTP answer, and a network message (ECONNREFUSED, timeout, socket hang up) otherwise.
 */
export type IdpFailure = 'rejected' | 'unavailable';

export function classifyIdpError(error: unknown): IdpFailure {
  const status = httpStatus(error);
  if (status !== undefined) return status >= 400 && status < 500 ? 'rejected' : 'unavailable';
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
