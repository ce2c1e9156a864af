import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import {
  nextBuild,
  ROOT,
  startApp,
  timeToFirstAuthenticatedResponse,
  type AppServer,
} from './app-server';
import { measureMemoMemory } from './memory';
import { median } from './stats';
import { chunksLoadedByHtml, firstLoadJs, jsSize, middlewareFigures } from './build-output';
import type { ClientJs } from './report';
import { signInOverHttp } from '@/tests/helpers/http-session';
import type { CookieJar } from '@/tests/helpers/idp-login';
import { measureGetSession, measureTrack } from './micro';
import { measurePeers } from './peers-micro';
import { measurePageOverhead } from './page';
import { clientJsFigures, figures, peerFigures, type Results } from './report';
import { RESULTS_FILE } from './results-file';
import { refreshStorm } from './storm';

/**
 * `npm run bench`: every figure of the performance table in one run, in this order:
 * 1. getSession cost per call (in this process, against the Vitest global local IdP), then the
 *    peers' session checks beside ours;
 * 4, 5. `next build`, then the middleware bundle and First Load JS read from .next/;
 * 2. page overhead under autocannon against `next start` (+ the served-HTML check for 5);
 * 3. the refresh storm against a second `next start` whose IdP issues 5-second access tokens.
 * BENCH_SKIP_BUILD=1 reuses an existing .next build (for iterating on the bench itself).
 * BENCH_ONLY=peers runs only the peers' rows (about a minute).
 */
const log = (line: string) => console.error(`[bench] ${line}`);
const STORM_TOKEN_TTL_SECONDS = 5;

function meta(started: number, loadAverageAtStart: number[], buildSeconds: number | null) {
  const nextVersion = (
    JSON.parse(readFileSync(path.join(ROOT, 'node_modules/next/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return {
    command:
      process.env.BENCH_ONLY === 'peers' ? 'BENCH_ONLY=peers npm run bench' : 'npm run bench',
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    next: nextVersion,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
    seconds: (Date.now() - started) / 1000,
    buildSeconds,
  };
}

/**
 * Figure 5, First Load JS, as a visitor gets it: `/` for a signed-out visitor (no cookie), and
 * `/dashboard` signed in. What counts is every chunk the served HTML makes the browser load (its
 * script tags and the chunks its RSC payload names), so code split out of the route's entry
 * but needed for this visitor's first view (signed-in components) is counted; the manifests'
 * entry files (firstLoadJs) must all be among them.
 */
async function measureFirstLoad(appUrl: string, jar: CookieJar): Promise<ClientJs[]> {
  const out: ClientJs[] = [];
  for (const [route, signedIn] of [
    ['/', false],
    ['/dashboard', true],
  ] as const) {
    const url = `${appUrl}${route}`;
    const headers: Record<string, string> = signedIn ? { cookie: jar.header(url) ?? '' } : {};
    const response = await fetch(url, { headers, redirect: 'manual' });
    if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}`);
    const files = chunksLoadedByHtml(await response.text());
    const entry = firstLoadJs(route);
    out.push({
      route,
      visitor: signedIn ? 'signed in' : 'signed out',
      files,
      ...jsSize(files),
      entryGzipBytes: entry.gzipBytes,
      entryFilesLoaded: entry.files.every((f) => files.includes(f)),
    });
  }
  return out;
}

it('npm run bench', async () => {
  rmSync(RESULTS_FILE, { force: true });
  const started = Date.now();
  const loadAverageAtStart = os.loadavg();

  if (process.env.BENCH_ONLY === 'peers') {
    log('peers only (BENCH_ONLY=peers): session checks of the peers beside ours');
    const peers = await measurePeers(log);
    const results: Results = {
      meta: meta(started, loadAverageAtStart, null),
      figures: peerFigures(peers),
      details: { peers },
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    return;
  }

  if (process.env.BENCH_ONLY === 'first-load') {
    log('First Load JS only (BENCH_ONLY=first-load)');
    let buildSeconds: number | null = null;
    if (process.env.BENCH_SKIP_BUILD !== '1') buildSeconds = await nextBuild();
    const app = await startApp({ accessTokenTtl: 300 });
    try {
      const clientJs = await measureFirstLoad(app.url, await signInOverHttp(app.url));
      const results: Results = {
        meta: meta(started, loadAverageAtStart, buildSeconds),
        figures: clientJsFigures(clientJs),
        details: { clientJs },
      };
      writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    } finally {
      await app.stop();
    }
    return;
  }

  log('1/5 getSession cost per call');
  const getSession = await measureGetSession(log);
  log("1/5 the peers' session checks beside ours");
  const peers = await measurePeers(log);
  log('analytics.track() on the request path');
  const analyticsTrack = await measureTrack(log);
  log('memory: the session memo full');
  const memory = await measureMemoMemory(log);

  let buildSeconds: number | null = null;
  if (process.env.BENCH_SKIP_BUILD === '1') log('next build skipped (BENCH_SKIP_BUILD=1)');
  else {
    log('next build');
    buildSeconds = await nextBuild();
    log(`next build: ${buildSeconds.toFixed(0)} s`);
  }

  log('4/5 Edge middleware bundle; 5/5 First Load JS');
  const middleware = middlewareFigures();

  let app: AppServer | undefined;
  let page;
  let analyticsOnPage = false;
  let startupMs = NaN;
  const clientJs: ClientJs[] = [];
  try {
    app = await startApp({ accessTokenTtl: 300 });
    const jar = await signInOverHttp(app.url);
    // The page figures are taken with analytics on: its provider in the layout and the
    // dashboard's Recent activity panel, fed by the sign-in above.
    const dashboard = `${app.url}/dashboard`;
    const dashboardHtml = await (
      await fetch(dashboard, { headers: { cookie: jar.header(dashboard) ?? '' } })
    ).text();
    analyticsOnPage =
      dashboardHtml.includes('Recent activity') && dashboardHtml.includes('signed_in');
    clientJs.push(...(await measureFirstLoad(app.url, jar)));
    log('2/5 page overhead (autocannon)');
    page = await measurePageOverhead(app, jar, log);
    log('startup: next start to the first authenticated 200');
    const startups: number[] = [];
    for (let i = 0; i < 3; i++) {
      startups.push(
        await timeToFirstAuthenticatedResponse(app, '/dashboard', jar.header(dashboard) ?? ''),
      );
    }
    startupMs = median(startups);
  } finally {
    await app?.stop();
  }

  let refresh;
  try {
    log(`3/5 refresh storm (access tokens live ${STORM_TOKEN_TTL_SECONDS} s)`);
    app = await startApp({ accessTokenTtl: STORM_TOKEN_TTL_SECONDS });
    refresh = await refreshStorm(app, log);
  } finally {
    await app?.stop();
  }

  const details = {
    getSession,
    peers,
    analytics: { ...analyticsTrack, onPage: analyticsOnPage },
    page,
    refreshStorm: refresh,
    memory,
    startupMs,
    middleware,
    clientJs,
  };
  const results: Results = {
    meta: meta(started, loadAverageAtStart, buildSeconds),
    figures: figures(details),
    details,
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
});
