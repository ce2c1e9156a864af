import 'server-only';
import { getConfig } from './config';

/** Exits the server with the configuration problem spelled out, before it takes any traffic. */
export function assertConfigAtStartup(): void {
  try {
    getConfig();
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
