import autocannon from 'autocannon';
import type { CookieJar } from '@/tests/helpers/idp-login';
import type { AppServer } from './app-server';
import { median, percentile, trimmedMean } from './stats';

/**
 * Figure 2: what auth adds to a real page under load. /dashboard with a valid session (Edge
 * middleware gate, getSession() in the layout header and the page, memo warm after the first
 * request) against /bench/dashboard, the same DashboardView for a fixed user with no auth at all.
 * Targets alternate in short rounds (A B, then B A, ...) so drift on the shared machine lands on
 * both, and every figure is the median over rounds of a per-round value or ratio: a burst of
 * other work that lands on one target's window spoils one round, not the figure. Latencies are
 * recorded per response at full resolution (autocannon's own histogram keeps whole ms).
 *
 * Besides throughput and latency, each round records the server's own CPU time per request
 * (from /proc). The goal's CPU figure comes from a second, finer pass (measureCpuPerRequest).
 */
const WARMUP_SECONDS = 1;
const ROUND_SECONDS = 2;
const ROUNDS = 16;
const CONNECTIONS = 10;

/** Requests timed per page in the CPU pass, and how many in a row go to one page. */
const CPU_REQUESTS = 1500;
const CPU_BLOCK = 6;
/** Share of the fastest and of the slowest requests left out of each page's mean. */
const CPU_TRIM = 0.1;

type Load = {
  rps: number;
  latencies: number[];
  cpuMsPerRequest: number;
  bad: number;
};
type Target = { url: string; headers: Record<string, string>; status: number };

function load(app: AppServer, target: Target, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let bad = 0;
    const cpuStart = app.cpuSeconds();
    const start = process.hrtime.bigint();
    const instance = autocannon(
      { url: target.url, connections: CONNECTIONS, duration: seconds, headers: target.headers },
      (err, result) => {
        if (err) return reject(err);
        const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
        const cpu = app.cpuSeconds() - cpuStart;
        resolve({
          rps: latencies.length / elapsed,
          latencies,
          cpuMsPerRequest: (cpu * 1000) / Math.max(1, latencies.length),
          bad: bad + result.errors,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === target.status) latencies.push(responseTime);
      else bad++;
    });
  });
}

export type PageFigures = {
  dashboardRps: number;
  baselineRps: number;
  rpsRatio: number;
  dashboardP99Ms: number;
  baselineP99Ms: number;
  p99Ratio: number;
  dashboardP50Ms: number;
  baselineP50Ms: number;
  dashboardCpuMsPerRequest: number;
  baselineCpuMsPerRequest: number;
  /** CPU ratio of the load rounds (reported; the goal is on cpuRatio, from the CPU pass). */
  loadCpuRatio: number;
  cpuRatio: number;
  /** The no-auth page against itself in the CPU pass: how far apart two equal pages come out. */
  cpuControlRatio: number;
  /** The no-auth page with a session cookie (signed-in header, refresher, analytics queue) ÷ without. */
  cpuSignedInLayoutRatio: number;
  /** /dashboard ÷ the no-auth page with a session cookie: what the dashboard's own auth adds. */
  cpuPageAuthRatio: number;
  cpu: CpuPass;
  rounds: number;
  roundSeconds: number;
  connections: number;
  dashboardHtmlBytes: number;
  baselineHtmlBytes: number;
};

export async function measurePageOverhead(
  app: AppServer,
  jar: CookieJar,
  log: (line: string) => void,
): Promise<PageFigures> {
  const cookie = jar.header(`${app.url}/dashboard`) ?? '';
  const targets = {
    dashboard: { url: `${app.url}/dashboard`, headers: { cookie }, status: 200 },
    baseline: { url: `${app.url}/bench/dashboard`, headers: {}, status: 200 },
  } satisfies Record<string, Target>;
  type Name = keyof typeof targets;

  // Both pages must render the dashboard for alice, or the comparison is meaningless.
  const html = { dashboard: 0, baseline: 0 };
  for (const name of ['dashboard', 'baseline'] as const) {
    const target = targets[name];
    const res = await fetch(target.url, { headers: target.headers, redirect: 'manual' });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('alice@example.com')) {
      throw new Error(`${target.url} answered ${res.status} without the dashboard`);
    }
    html[name] = Buffer.byteLength(body);
  }

  for (const target of Object.values(targets)) await load(app, target, WARMUP_SECONDS);

  const results: Record<Name, Load[]> = { dashboard: [], baseline: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order: Name[] = r % 2 === 0 ? ['dashboard', 'baseline'] : ['baseline', 'dashboard'];
    for (const name of order) {
      const result = await load(app, targets[name], ROUND_SECONDS);
      if (result.bad > 0)
        throw new Error(`${targets[name].url}: ${result.bad} unexpected responses`);
      results[name].push(result);
    }
    const [a, b] = [results.dashboard[r]!, results.baseline[r]!];
    log(
      `page round ${r + 1}/${ROUNDS}: dashboard ${a.rps.toFixed(0)} req/s, p99 ${percentile(a.latencies, 99).toFixed(1)} ms, ` +
        `${a.cpuMsPerRequest.toFixed(2)} ms CPU/req; baseline ${b.rps.toFixed(0)} req/s, ` +
        `p99 ${percentile(b.latencies, 99).toFixed(1)} ms, ${b.cpuMsPerRequest.toFixed(2)} ms CPU/req`,
    );
  }

  log('page CPU per request, request by request');
  const cpu = await measureCpuPerRequest(app, {
    dashboard: targets.dashboard,
    baseline: targets.baseline,
    baselineAgain: targets.baseline,
    baselineSignedIn: { ...targets.baseline, headers: { cookie } },
  });
  log(
    `page CPU: ${Object.entries(cpu.msPerRequest)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`)
      .join(', ')}`,
  );

  const of = (name: Name, f: (l: Load) => number) => median(results[name].map(f));
  const ratio = (f: (l: Load) => number) =>
    median(results.dashboard.map((d, i) => f(d) / f(results.baseline[i]!)));
  const p = (q: number) => (l: Load) => percentile(l.latencies, q);
  return {
    dashboardRps: of('dashboard', (l) => l.rps),
    baselineRps: of('baseline', (l) => l.rps),
    rpsRatio: ratio((l) => l.rps),
    dashboardP99Ms: of('dashboard', p(99)),
    baselineP99Ms: of('baseline', p(99)),
    p99Ratio: ratio(p(99)),
    dashboardP50Ms: of('dashboard', p(50)),
    baselineP50Ms: of('baseline', p(50)),
    dashboardCpuMsPerRequest: cpu.msPerRequest.dashboard,
    baselineCpuMsPerRequest: cpu.msPerRequest.baseline,
    loadCpuRatio: ratio((l) => l.cpuMsPerRequest),
    cpuRatio: cpu.ratios.dashboard,
    cpuControlRatio: cpu.ratios.baselineAgain,
    cpuSignedInLayoutRatio: cpu.ratios.baselineSignedIn,
    cpuPageAuthRatio: cpu.msPerRequest.dashboard / cpu.msPerRequest.baselineSignedIn,
    cpu,
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    connections: CONNECTIONS,
    dashboardHtmlBytes: html.dashboard,
    baselineHtmlBytes: html.baseline,
  };
}

type CpuTargets = Record<'dashboard' | 'baseline' | 'baselineAgain' | 'baselineSignedIn', Target>;
type CpuPass = {
  /** Trimmed mean of the server's CPU time per request, by page. */
  msPerRequest: Record<keyof CpuTargets, number>;
  /** Each page's msPerRequest ÷ the baseline's. */
  ratios: Record<keyof CpuTargets, number>;
  requestsPerPage: number;
  block: number;
  trim: number;
};

/**
 * The server's CPU time for each request, one request at a time: the run time of every server
 * thread (to the nanosecond, from /proc schedstat) before the request is sent and after its
 * body has arrived. The pages take turns in blocks of CPU_BLOCK requests, in an order that
 * rotates, so a slower or faster spell of the shared machine lands on all of them. The first
 * request of each block is not counted: it may carry work the previous page left running after
 * its response (a deferred write, a GC it triggered). Each page's figure is a trimmed mean: the
 * fastest and slowest CPU_TRIM of its requests are left out, so one descheduled request or
 * another process's burst cannot move it, while the GC a page causes in the middle of the
 * distribution still counts.
 *
 * Why not the load rounds' CPU: a round sums a few hundred requests under concurrency, and on
 * this shared machine whole rounds run 20% faster or slower than their neighbours; the ratio of
 * two pages then wanders by a few percent between runs. Interleaving by the block keeps both pages
 * within milliseconds of each other. `baselineAgain` (the same page as `baseline`, timed as
 * another page) shows how far apart two equal pages come out in the same run.
 */
export async function measureCpuPerRequest(
  app: AppServer,
  targets: CpuTargets,
  requestsPerPage = CPU_REQUESTS,
): Promise<CpuPass> {
  const names = Object.keys(targets) as (keyof CpuTargets)[];
  const once = async (target: Target) => {
    const before = app.cpuNanoseconds();
    const response = await fetch(target.url, { headers: target.headers, redirect: 'manual' });
    await response.arrayBuffer();
    const ns = app.cpuNanoseconds() - before;
    if (response.status !== target.status) {
      throw new Error(`${target.url} answered ${response.status}, not ${target.status}`);
    }
    return ns / 1e6;
  };
  // Warm-up: JIT, the session memo and the connection pool.
  for (let i = 0; i < 100; i++) for (const name of names) await once(targets[name]);

  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<
    keyof CpuTargets,
    number[]
  >;
  const cycles = Math.ceil(requestsPerPage / CPU_BLOCK);
  for (let cycle = 0; cycle < cycles; cycle++) {
    const start = cycle % names.length;
    const rotated = [...names.slice(start), ...names.slice(0, start)];
    for (const name of cycle % 2 ? rotated.reverse() : rotated) {
      for (let i = 0; i < CPU_BLOCK; i++) {
        const ms = await once(targets[name]);
        if (i > 0) samples[name].push(ms);
      }
    }
  }
  const msPerRequest = Object.fromEntries(
    names.map((n) => [n, trimmedMean(samples[n], CPU_TRIM)]),
  ) as CpuPass['msPerRequest'];
  const ratios = Object.fromEntries(
    names.map((n) => [n, msPerRequest[n] / msPerRequest.baseline]),
  ) as CpuPass['ratios'];
  return {
    msPerRequest,
    ratios,
    requestsPerPage: cycles * (CPU_BLOCK - 1),
    block: CPU_BLOCK,
    trim: CPU_TRIM,
  };
}
