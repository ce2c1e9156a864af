import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The SDK pulls in gRPC/axios internals that are meant to run as plain Node modules.
  serverExternalPackages: ['@scalekit-sdk/node'],
};

export default nextConfig;
