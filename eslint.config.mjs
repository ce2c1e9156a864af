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
];

export default config;
