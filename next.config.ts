import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The SDK pulls in gRPC/axios internals that are meant to run as plain Node modules.
  serverExternalPackages: ['@scalekit-sdk/node', 'ioredis'],
  // Security: the callback URL carries a one-time code and the state; keep both out of dev logs.
  logging: { incomingRequests: { ignore: [/\/api\/callback/] } },
  // forbidden() in lib/authz.ts: a signed-in user without the grant gets app/forbidden.tsx, 403.
  experimental: { authInterrupts: true },
};

export default nextConfig;
