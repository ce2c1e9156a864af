import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { freePort } from '../tests/helpers/ports';

/**
 * The production app for figures 2, 3 and 5: `next build`, then `next start` on a free loopback
 * port against its own local IdP, the way e2e/ runs it, plus BENCH_ROUTES for the no-auth
 * baseline page. Everything listens on 127.0.0.1 only.
 */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NEXT_JS = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const CLIENT_ID = 'skc_bench_client';
const CLIENT_SECRET = 'bench_client_secret_not_a_real_secret';
const COOKIE_SECRET = 'bench-session-cookie-secret-0123456789abcdef';

/** The parent's environment without what Vitest or the unit-test setup put there. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|SCALEKIT_|LOCAL_IDP_|NODE_ENV$|NODE_OPTIONS$|TEST$)/.test(key)) continue;
    if (['SESSION_COOKIE_SECRET', 'APP_URL', 'ALLOWED_HOSTS', 'BENCH_ROUTES'].includes(key))
      continue;
    env[key] = value;
  }
  // Both `next build` and `next start` are production; Vitest's NODE_ENV=test must not leak in.
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', ...extra, NODE_ENV: 'production' };
}

/** Runs a command to completion; on failure the error carries the end of its output. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

export async function nextBuild(): Promise<number> {
  const start = Date.now();
  await run(process.execPath, [NEXT_JS, 'build'], childEnv({}));
  return (Date.now() - start) / 1000;
}

export type AppServer = {
  url: string;
  idp: LocalIdp;
  /** CPU seconds the server's processes have used so far (user + system), in clock ticks. */
  cpuSeconds(): number;
  /**
   * The same to the nanosecond: the run time the scheduler has counted for every thread of the
   * server's processes. For figures over a single request, which clock ticks (10 ms) cannot time.
   */
  cpuNanoseconds(): number;
  stop(): Promise<void>;
};

const CLOCK_TICKS_PER_SECOND = 100;

/** The /proc `stat` fields of every process in a process group (Linux), by pid. */
function groupStats(pgid: number): Map<string, string[]> {
  const stats = new Map<string, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesized command name: state ppid pgrp ... utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) stats.set(entry, fields);
  }
  return stats;
}

/** user + system CPU of every process in a process group, from /proc. */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const fields of groupStats(pgid).values()) ticks += Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** The scheduler statistics files of every thread in a process group. */
function groupThreadStats(pgid: number): string[] {
  const files: string[] = [];
  for (const pid of groupStats(pgid).keys()) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        files.push(`/proc/${pid}/task/${tid}/schedstat`);
      }
    } catch {
      // exited meanwhile
    }
  }
  return files;
}

/**
 * Run time of every thread of a process group in ns (schedstat field 1). The thread list is
 * looked up again at most once a second: scanning /proc on every call would slow the client
 * that takes two readings per request, and a server's threads (main, libuv pool, V8 helpers)
 * outlive any request.
 */
function groupCpuClock(pgid: number): () => number {
  let files: string[] = [];
  let listedAt = 0;
  return () => {
    if (Date.now() - listedAt > 1000) {
      files = groupThreadStats(pgid);
      listedAt = Date.now();
    }
    let ns = 0;
    for (const file of files) {
      try {
        ns += Number(readFileSync(file, 'utf8').split(' ')[0]);
      } catch {
        // exited meanwhile
      }
    }
    return ns;
  };
}

/**
 * `next start` of the current build on 127.0.0.1:`port`, against the IdP at `idpUrl` with the
 * bench's client and secrets, in its own process group, so stopping it ends exactly the server
 * it started (SIGTERM to the group, SIGKILL after 5 s).
 */
function spawnNextStart(
  port: number,
  idpUrl: string,
  {
    nodeArgs = [],
    env = {},
    stdio,
  }: { nodeArgs?: string[]; env?: Record<string, string>; stdio: 'ignore' | 'pipe' },
) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, NEXT_JS, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', stdio, stdio],
      env: childEnv({
        SCALEKIT_ENV_URL: idpUrl,
        SCALEKIT_CLIENT_ID: CLIENT_ID,
        SCALEKIT_CLIENT_SECRET: CLIENT_SECRET,
        SESSION_COOKIE_SECRET: COOKIE_SECRET,
        APP_URL: `http://127.0.0.1:${port}`,
        ...env,
      }),
    },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited || !child.pid) return;
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => !exited && process.kill(-child.pid!, 'SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  };
  return { child, hasExited: () => exited, stop };
}

export async function startApp({ accessTokenTtl }: { accessTokenTtl: number }): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-bench-'));
  const idp = await startLocalIdp({
    port: 0,
    host: '127.0.0.1',
    accessTokenTtl,
    appUrl: url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    dataDir,
    persist: false,
    log: false,
  });
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server (at exit) for `npm run bench`
  // investigations; it slows the server, so figures from such a run are not comparable.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const server = spawnNextStart(port, idp.url, {
    nodeArgs: profile,
    env: { BENCH_ROUTES: 'true' },
    stdio: 'pipe',
  });
  let output = '';
  server.child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  server.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

  const stop = async () => {
    await server.stop();
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.hasExited()) {
      await stop();
      throw new Error(`next start exited:\n${output.slice(-4000)}`);
    }
    const ok = await fetch(`${url}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      const pgid = server.child.pid!;
      return {
        url,
        idp,
        stop,
        cpuSeconds: () => groupCpuSeconds(pgid),
        cpuNanoseconds: groupCpuClock(pgid),
      };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer within 60 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts a second `next start` of the same build, against `app`'s IdP and with its secrets, and
 * times it from spawn to the first 200 of `path` for `cookie` (a session made on `app`): how
 * long a new instance takes to serve a signed-in user. Polls every 10 ms.
 */
export async function timeToFirstAuthenticatedResponse(
  app: AppServer,
  path: string,
  cookie: string,
): Promise<number> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = process.hrtime.bigint();
  const server = spawnNextStart(port, app.idp.url, { stdio: 'ignore' });
  try {
    for (;;) {
      const response = await fetch(`${url}${path}`, {
        headers: { cookie },
        redirect: 'manual',
      }).catch(() => null);
      if (response?.status === 200) {
        await response.text();
        return Number(process.hrtime.bigint() - started) / 1e6;
      }
      await response?.text();
      if (server.hasExited()) throw new Error('the second next start exited');
      if (Number(process.hrtime.bigint() - started) > 60e9) {
        throw new Error(`no authenticated 200 from ${path} within 60 s`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await server.stop();
  }
}
