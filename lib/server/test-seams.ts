import 'server-only';
import type { AccessTokenClaims, KeySource, VerifyResult } from '@/lib/server/tokens';

/**
 * The one door between a product module's private state and lib/server/testing.ts. A module
 * whose process-wide state tests must reset (a parsed config, a cached SDK client, a memo)
 * hands a closure over that state to exposeToTests() under a fixed name, so its export list
 * says nothing about tests. Only lib/server/testing.ts reads the table back (eslint enforces it).
 */
export interface TestSeams {
  resetConfig(): void;
  resetScalekit(): void;
  resetIssuers(): void;
  resetIdpHealth(): void;
  clearSessionMemo(): void;
  sessionMemoSize(): number;
  forgetRevocations(): void;
  verifyAccessTokenWith(token: string, keys: KeySource): Promise<VerifyResult<AccessTokenClaims>>;
}

const seams: Partial<TestSeams> = {};

export function exposeToTests<K extends keyof TestSeams>(name: K, seam: TestSeams[K]): void {
  seams[name] = seam;
}

/** For lib/server/testing.ts only. */
export function seam<K extends keyof TestSeams>(name: K): TestSeams[K] {
  const found = seams[name];
  if (!found) throw new Error(`No module has exposed the test seam "${name}".`);
  return found as TestSeams[K];
}
