import 'server-only';
// Loaded for their exposeToTests() calls: each seam exists once its module has run.
import '@/lib/server/config';
import '@/lib/server/scalekit';
import '@/lib/server/session/session';
import '@/lib/server/tokens';
import '@/lib/server/analytics/analytics';
import type { Pipeline } from '@/lib/server/analytics/pipeline';
import '@/lib/server/sessions/webhook-replay';
import { seam } from './test-seams';
import type { AccessTokenClaims, KeySource, VerifyResult } from '@/lib/server/tokens';

/**
 * Test hooks live here and nowhere else. Product code (app/, components/, lib/, middleware.ts,
 * instrumentation.ts) never imports this module; eslint.config.mjs refuses it outside tests.
 *
 * Where tests live: a unit spec sits beside its module as `<module>.test.ts`; integration tests
 * (real routes, the real SDK against the local IdP) in tests/; browser journeys (Playwright) in
 * e2e/; benchmarks in bench/. All of them may import this module.
 *
 * Product modules keep their state private and reach it to this module through
 * lib/server/test-seams.ts, so no `...ForTests` name is part of their public surface.
 */

/** Forget the parsed config, so the next getConfig() re-reads the environment. */
export function resetConfig(): void {
  seam('resetConfig')();
}

/** Drop the cached Scalekit SDK client (it holds the env URL and credentials it was built with). */
export function resetScalekit(): void {
  seam('resetScalekit')();
}

/** Forget which issuers the IdP's discovery document advertised. */
export function resetIssuers(): void {
  seam('resetIssuers')();
}

/** Forget the cached "is the IdP answering?" result. */
export function resetIdpHealth(): void {
  seam('resetIdpHealth')();
}

/** Empty the verified-session memo (lib/server/session/session.ts). */
export function clearSessionMemo(): void {
  seam('clearSessionMemo')();
}

/** How many verified sessions the memo holds. */
export function sessionMemoSize(): number {
  return seam('sessionMemoSize')();
}

/** Forget the sessions this process has seen signed out. */
export function forgetRevocations(): void {
  seam('forgetRevocations')();
}

/**
 * verifyAccessToken()'s checks against a key source the test chooses (an attacker's key, a key
 * set with a given `alg`) instead of the IdP's JWKS.
 */
export function verifyAccessTokenWith(
  token: string,
  keys: KeySource,
): Promise<VerifyResult<AccessTokenClaims>> {
  return seam('verifyAccessTokenWith')(token, keys) as Promise<VerifyResult<AccessTokenClaims>>;
}

/** Drop the analytics pipeline (after a bounded flush), so the next event builds one from config. */
export function resetAnalytics(): Promise<void> {
  return seam('resetAnalytics')();
}

/** The analytics pipeline as built from the current config: its sinks, deliveries and memory. */
export function analyticsPipeline(): Pipeline {
  return seam('analyticsPipeline')() as Pipeline;
}

/** The process's deny set itself (key → until, ms), for the bench to fill and empty around a batch. */
export function deniedSessions(): Map<string, number> {
  return seam('deniedSessions')();
}

/** Forget which webhook ids this process has acted on (lib/server/sessions/webhook-replay.ts). */
export function forgetWebhookIds(): void {
  seam('forgetWebhookIds')();
}
