import autocannon from 'autocannon';
import type { CookieJar } from '@/tests/helpers/idp-login';
import type { AppServer } from './app-server';
import { median, percentile } from './stats';

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
 * (from /proc): other load on the shared machine moves it far less than req/s or p99.
 */
const WARMUP_SECONDS = 1;
const ROUND_SECONDS = 2;
const ROUNDS = 24;
const CONNECTIONS = 10;

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
  cpuRatio: number;
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
    dashboardCpuMsPerRequest: of('dashboard', (l) => l.cpuMsPerRequest),
    baselineCpuMsPerRequest: of('baseline', (l) => l.cpuMsPerRequest),
    cpuRatio: ratio((l) => l.cpuMsPerRequest),
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    connections: CONNECTIONS,
    dashboardHtmlBytes: html.dashboard,
    baselineHtmlBytes: html.baseline,
  };
}
