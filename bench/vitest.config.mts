import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run bench`. The benchmark runs under Vitest (not `npm test`: the root config never
 * includes bench/) because Vitest already resolves `@/` and the `server-only` guard for lib code
 * and starts the local IdP the session figures need; one test file drives everything in order.
 * The reporter keeps stdout for the results table and sends progress to stderr.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('../', import.meta.url)),
      'server-only': fileURLToPath(new URL('../tests/helpers/server-only.ts', import.meta.url)),
    },
  },
  test: {
    root: fileURLToPath(new URL('../', import.meta.url)),
    include: ['bench/run.ts'],
    environment: 'node',
    // The bench's peers (bench/peers.ts) import `server-only` and extensionless `next/*` paths,
    // which only resolve once Vite transforms them like app code.
    server: {
      deps: {
        inline: ['@workos-inc/authkit-nextjs', 'next-auth', '@auth/core', '@auth0/nextjs-auth0'],
      },
    },
    globalSetup: ['tests/setup/local-idp.global.ts'],
    setupFiles: ['tests/setup/env.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: [fileURLToPath(new URL('./reporter.ts', import.meta.url))],
  },
});
