import { ScalekitClient } from '@scalekit-sdk/node';

/**
 * The Scalekit Next.js cookbook's session check, reproduced for `npm run bench` as the starting
 * point this template is measured against (the cookbook's "Store and read the session",
 * shared/reference/scalekit-nextjs-hosted-auth-cookbook.md). Kept as written: the raw access token straight from its cookie,
 * then the SDK's validateAccessToken() and, on success, validateToken() for the claims. Each SDK
 * call builds a fresh local key set from the cached JWKS and runs jose's jwtVerify, so a request
 * pays two signature verifications and two key imports. Bench code only; the app never uses it.
 *
 * The one change: `cookies()` is passed in, because the benchmark calls it outside a request. Our
 * side is measured the same way (lib/server/session/session.ts's sessionFromCookies on the same cookie store).
 */
export type CookbookCookieStore = { get(name: string): { value: string } | undefined };

// The cookbook's lib/server/scalekit.ts: one client per process.
export function createCookbookClient(envUrl: string, clientId: string, clientSecret: string) {
  return new ScalekitClient(envUrl, clientId, clientSecret);
}

export async function cookbookGetSession(
  scalekit: ScalekitClient,
  cookieStore: CookbookCookieStore,
) {
  const accessToken = cookieStore.get('sk_access_token')?.value;
  if (!accessToken) return null;

  const isValid = await scalekit.validateAccessToken(accessToken);
  if (!isValid) return null;

  // validateToken returns the decoded claims once the signature and expiry pass.
  const claims = await scalekit.validateToken<{ sub?: string; email?: string }>(accessToken);
  return { sub: claims.sub, email: claims.email };
}
