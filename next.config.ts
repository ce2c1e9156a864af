import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';
import { securityHeaderRules } from './lib/build/security-headers';

export default function nextConfig(phase: string): NextConfig {
  return {
    poweredByHeader: false,
    // `NEXT_OUTPUT=standalone next build` (the Dockerfile, CI) also writes .next/standalone: a
    // server.js with only the files it needs (docs/7-deploy.md). Opt-in, because `next start`
    // warns about a config that says standalone.
    output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
    // The SDK pulls in gRPC/axios internals that are meant to run as plain Node modules.
    serverExternalPackages: ['@scalekit-sdk/node', 'ioredis'],
    // Security: the callback URL carries a one-time code and the state; keep both out of dev logs.
    logging: { incomingRequests: { ignore: [/\/api\/callback/] } },
    // forbidden() in lib/server/authz.ts: a signed-in user without the grant gets app/forbidden.tsx, 403.
    experimental: { authInterrupts: true },
    // Anti-framing, nosniff, CSP and friends on every response (lib/build/security-headers.ts).
    headers: async () => securityHeaderRules({ dev: phase === PHASE_DEVELOPMENT_SERVER }),
  };
}
