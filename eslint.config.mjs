import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.local-idp/**',
      'playwright-report/**',
      'test-results/**',
      'next-env.d.ts',
    ],
  },
  {
    // Every env var is read once, in lib/server/config.ts, where it is validated.
    files: ['app/**', 'components/**', 'lib/**', 'middleware.ts'],
    ignores: ['lib/server/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration from lib/server/config.ts.',
        },
      ],
    },
  },
  {
    // Test hooks live in lib/server/testing.ts alone, and product code never reaches them: unit
    // specs (*.test.ts beside their module), tests/, e2e/ and bench/ may import it; nothing else.
    files: ['app/**', 'components/**', 'hooks/**', 'lib/**', 'middleware.ts', 'instrumentation.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'lib/server/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)testing$',
              message:
                'lib/server/testing.ts is for tests and benchmarks; product code never imports it.',
            },
            {
              regex: '(^|/)test-seams$',
              importNames: ['seam'],
              message: 'Only lib/server/testing.ts reads the test seams.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
