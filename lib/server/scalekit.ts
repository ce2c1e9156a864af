import 'server-only';
import { ScalekitClient } from '@scalekit-sdk/node';
import { getConfig } from './config';

// Security: the client secret lives in this server-only module; importing it from a Client
// Component fails the build instead of shipping the secret to browsers.

const globalForScalekit = globalThis as unknown as { __scalekit?: ScalekitClient };

/** The SDK client, built once per process (and kept across dev hot reloads). */
export function getScalekit(): ScalekitClient {
  if (!globalForScalekit.__scalekit) {
    const { envUrl, clientId, clientSecret } = getConfig().scalekit;
    // A bounded timeout turns a hung IdP into an error we can classify as "unavailable".
    globalForScalekit.__scalekit = new ScalekitClient(envUrl, clientId, clientSecret, {
      timeoutMs: 10_000,
    });
  }
  return globalForScalekit.__scalekit;
}

/** Tests only. */
export function resetScalekitForTests(): void {
  globalForScalekit.__scalekit = undefined;
}
