import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A `next start` of the build Playwright's webServer made, on 127.0.0.1:`port`, for specs that
 * need settings of their own (their own IdP, idle timeout, Redis). `env` goes on top of the
 * production defaults; resolves once the server answers.
 */
export async function startNextServer(
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        // As `npm start` does: SIGTERM runs the app's stop sequence (lib/server/shutdown.ts).
        NEXT_MANUAL_SIG_HANDLE: 'true',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).status < 500) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`next start on ${port} did not come up`);
}
