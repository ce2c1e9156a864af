import 'server-only';
import { getConfig } from './config';
import { warmRefreshStore } from '@/lib/server/refresh/tokens';

/** Exits the server with the configuration problem spelled out, before it takes any traffic. */
export function assertConfigAtStartup(): void {
  try {
    getConfig();
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  // Connect a shared refresh store (REDIS_URL) now rather than on the first refresh.
  warmRefreshStore();
}
