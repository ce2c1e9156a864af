import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The Dockerfile, read as data: CI cannot run Docker, so the production spec checks the image's
 * assumptions against the CI build and runs its last stage's COPY/ENV/CMD outside a container.
 */
export type DockerStage = {
  from: string;
  name: string | undefined;
  copies: { from: string | undefined; src: string; dest: string }[];
  env: Record<string, string>;
  user: string | undefined;
  workdir: string | undefined;
  cmd: string[] | undefined;
  healthcheck: string[] | undefined;
  runs: string[];
};

export function readDockerfile(file = 'Dockerfile') {
  // Join continuation lines, drop comments and blank lines.
  const lines = readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const stage = stages.at(-1);
    switch (keyword.toUpperCase()) {
      case 'ARG': {
        const [name = '', value = ''] = rest.split('=');
        args[name] = value;
        break;
      }
      case 'FROM': {
        const [image = '', , name] = rest.split(/\s+/);
        stages.push({
          from: image.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? ''),
          name,
          copies: [],
          env: {},
          user: undefined,
          workdir: undefined,
          cmd: undefined,
          healthcheck: undefined,
          runs: [],
        });
        break;
      }
      case 'COPY': {
        const parts = rest.split(/\s+/);
        const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
        const [src = '', dest = ''] = parts.filter((p) => !p.startsWith('--'));
        stage!.copies.push({ from, src, dest });
        break;
      }
      case 'ENV':
        for (const [, k, v] of rest.matchAll(/(\w+)=(\S+)/g)) stage!.env[k!] = v!;
        break;
      case 'USER':
        stage!.user = rest;
        break;
      case 'WORKDIR':
        stage!.workdir = rest;
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(rest) as string[];
        break;
      case 'HEALTHCHECK':
        stage!.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD') + 3).trim()) as string[];
        break;
      case 'RUN':
        stage!.runs.push(rest);
        break;
    }
  }
  return { args, stages, runner: stages.at(-1)! };
}

/**
 * The runtime stage's COPY --from=builder lines, carried out from this checkout's build into a
 * fresh directory outside the repo (so nothing resolves through the repo's own node_modules).
 * Returns that directory: the image's WORKDIR.
 */
export function layOutRuntimeImage(runner: DockerStage): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'standalone-image-'));
  const workdir = runner.workdir ?? '/';
  for (const copy of runner.copies) {
    if (copy.from === undefined)
      throw new Error(`COPY from the context in the runner: ${copy.src}`);
    const src = path.relative('/app', copy.src);
    const dest = path.join(dir, path.relative(workdir, path.resolve(workdir, copy.dest)));
    if (!existsSync(src)) throw new Error(`the build has no ${src} for COPY ${copy.src}`);
    cpSync(src, dest, { recursive: true });
  }
  return dir;
}

export type RunningServer = {
  url: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Runs `cmd` in `cwd` with `env` and waits until `${url}/api/health` answers 200. */
export async function startServer(
  cmd: string[],
  {
    cwd,
    env,
    url,
    detached = false,
  }: { cwd: string; env: Record<string, string>; url: string; detached?: boolean },
): Promise<RunningServer> {
  const [bin = '', ...args] = cmd;
  const child = spawn(bin === 'node' ? process.execPath : bin, args, {
    cwd,
    // Only what a container would have: no variable of the test runner leaks in.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) {
        return { url, process: child, output: () => output, exited };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`${cmd.join(' ')} did not serve ${url}/api/health:\n${output}`);
}

/**
 * A loopback HTTP proxy in front of the IdP that can hold token requests for a while, so a test
 * can act while a refresh is in flight. `onTokenRequest` resolves when one arrives.
 */
export async function startSlowTokenProxy(target: string) {
  const upstream = new URL(target);
  let delayMs = 0;
  let arrived: () => void = () => undefined;
  let tokenRequest = new Promise<void>((r) => (arrived = r));
  const server: Server = createServer((req, res) => {
    const isToken = req.method === 'POST' && (req.url ?? '').startsWith('/oauth/token');
    if (isToken) arrived();
    setTimeout(
      () => {
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => res.destroy());
        req.pipe(forward);
      },
      isToken ? delayMs : 0,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    /** Hold each token request this long before passing it on. */
    slowTokens(ms: number) {
      delayMs = ms;
      tokenRequest = new Promise<void>((r) => (arrived = r));
    },
    onTokenRequest: () => tokenRequest,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
