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
    // The bench's peers (bench/peers.ts) import `server-only` and extensionless `next/*` paths,
    // which only resolve once Vite transforms them like app code.
    server: {
      deps: {
        inline: ['@workos-inc/authkit-nextjs', 'next-auth', '@auth/core', '@auth0/nextjs-auth0'],
      },
    },
    globalSetup: ['tests/setup/local-idp.global.ts'],
    setupFiles: ['tests/setup/env.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
