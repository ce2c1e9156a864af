import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalIdp } from '../../local-idp/server.mjs';

export const TEST_APP_URL = 'http://localhost:3200';

/** One real local IdP for the whole Vitest run; lib and route tests talk to it over HTTP. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-vitest-'));
  const idp = await startLocalIdp({
    port: 0,
    dataDir,
    appUrl: TEST_APP_URL,
    clientId: 'skc_vitest_client',
    clientSecret: 'vitest_client_secret_not_real',
    persist: false,
    log: false,
  });
  project.provide('localIdp', {
    url: idp.url,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    appUrl: TEST_APP_URL,
  });
  return async () => {
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    localIdp: { url: string; clientId: string; clientSecret: string; appUrl: string };
  }
}
