import 'server-only';

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
  resetAnalytics(): Promise<void>;
  analyticsPipeline(): unknown;
  forgetWebhookIds(): void;
  deniedSessions(): Map<string, number>;
  // Typed where it is read (lib/server/testing.ts): importing the token types here would make
  // this leaf module depend on the modules that register with it.
  verifyAccessTokenWith(token: string, keys: unknown): Promise<unknown>;
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
