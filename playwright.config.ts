import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { E2E } from './e2e/env';

// Debian's Chromium where it exists (CI and these machines cannot download Playwright's own
// browser); Playwright's bundled browser everywhere else, so the same config works on a laptop.
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const useSystemChromium = existsSync(SYSTEM_CHROMIUM);

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: E2E.appUrl,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: useSystemChromium
      ? {
          executablePath: SYSTEM_CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }
      : {},
  },
  webServer: [
    {
      command: 'node local-idp/server.mjs',
      url: `${E2E.idpUrl}/.well-known/openid-configuration`,
      env: E2E.idpEnv,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: 'node examples/api-server/server.mjs',
      url: `${E2E.apiUrl}/health`,
      env: E2E.apiEnv,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The real production build, not the dev server. NEXT_OUTPUT=standalone for the build only:
      // e2e/production.spec.ts runs the Dockerfile's standalone server from this same build, and
      // `next start` would warn about a standalone config at run time.
      command: `NEXT_OUTPUT=standalone npx next build && npx next start -p ${E2E.appPort}`,
      url: E2E.appUrl,
      env: E2E.appEnv,
      reuseExistingServer: false,
      timeout: 300_000,
    },
  ],
});
