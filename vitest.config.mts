import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./', import.meta.url)),
      // `server-only` throws outside a React Server Components bundle; in unit tests the
      // modules run in plain Node, which is exactly the environment it protects.
      'server-only': fileURLToPath(new URL('./tests/helpers/server-only.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'lib/**/*.test.ts',
      'app/**/*.test.ts',
      'tests/**/*.test.ts',
      'local-idp/**/*.test.ts',
    ],
    environment: 'node',
    globalSetup: ['tests/setup/local-idp.global.ts'],
    setupFiles: ['tests/setup/env.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
