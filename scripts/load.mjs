#!/usr/bin/env node
// `npm run load`: refresh under load against the production server, on loopback.
//
// Starts the local IdP (access tokens live LOAD_TTL seconds) and `next start` on 127.0.0.1 on
// free ports (building first if there is no build), signs in SESSIONS users through the hosted
// login, then plays rounds of traffic from TABS uncoordinated "tabs" per session (no Web Locks:
// the worst case for the server) until REQUESTS requests have been made:
//   - timer round: every tab POSTs /api/refresh at the same moment (SESSIONS × TABS concurrent
//     refreshes, TABS of them per refresh token), then every tab GETs /api/me;
//   - navigation round, once the access tokens have expired: every tab opens /dashboard and
//     follows the redirects (requireSession → GET /api/refresh → /dashboard), which is again
//     SESSIONS × TABS concurrent refreshes.
// Prints requests, 5xx, logouts, token-endpoint calls (expected: one per session per round) and
// latencies. Exits non-zero on any 5xx or logout. Stops by itself: bounded in requests and time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(import.meta.dirname, '..');
const SESSIONS = 50;
const TABS = 4;
const REQUESTS = 2_000;
const LOAD_TTL = 2;
/** lib/server/tokens.ts accepts a token this long past its exp; "expired" to the app means after it. */
const CLOCK_TOLERANCE_S = 5;
const HARD_LIMIT_MS = 240_000;
const USER = { email: 'alice@example.com', password: 'alice-password' };

const children = [];
let dataDir;

function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
setTimeout(() => {
  console.error(`load: gave up after ${HARD_LIMIT_MS / 1000} s`);
  process.exit(2);
}, HARD_LIMIT_MS).unref();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, what, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { redirect: 'manual' });
      await response.body?.cancel();
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`${what} did not come up at ${url}`);
}

function start(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk) => {
    const text = String(chunk);
    if (!/Unsupported runtime|deprecated|codemod|middleware-to-proxy|^\s*$/m.test(text)) {
      process.stderr.write(`[${name}] ${text}`);
    }
  });
  children.push(child);
  return child;
}

// --- a browser's worth of cookie handling, enough for this app and the local IdP -------------

class Jar {
  cookies = new Map();
  store(response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const formOf = (html) => {
  const form = /<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const hidden = [...form[2].matchAll(/<input[^>]*type="hidden"[^>]*>/gi)].map((m) => [
    /name="([^"]*)"/.exec(m[0])?.[1],
    /value="([^"]*)"/.exec(m[0])?.[1] ?? '',
  ]);
  return { action: form[1].replace(/&amp;/g, '&'), hidden, password: /type="password"/.test(html) };
};

/** Signs in through /login, the hosted login page and /api/callback; returns the app's jar. */
async function signIn(appUrl) {
  const app = new Jar();
  const idp = new Jar();
  let response = await fetch(`${appUrl}/login?returnTo=/dashboard`, { redirect: 'manual' });
  app.store(response);
  let next = { url: response.headers.get('location'), method: 'GET' };
  for (let step = 0; step < 20; step++) {
    const target = new URL(next.url, appUrl);
    const isApp = target.origin === new URL(appUrl).origin;
    const jar = isApp ? app : idp;
    response = await fetch(target, {
      method: next.method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(next.body && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: next.body,
    });
    jar.store(response);
    if (isApp && target.pathname === '/api/callback') return app;
    const location = response.headers.get('location');
    if (location) {
      await response.body?.cancel();
      next = { url: new URL(location, target).href, method: 'GET' };
      continue;
    }
    const form = formOf(await response.text());
    if (!form) throw new Error(`sign-in stuck at ${target.pathname} (HTTP ${response.status})`);
    const body = new URLSearchParams(form.hidden.filter(([k]) => k));
    if (form.password) {
      body.set('email', USER.email);
      body.set('password', USER.password);
    }
    next = { url: new URL(form.action || target.href, target).href, method: 'POST', body };
  }
  throw new Error('sign-in did not finish');
}

// --- traffic ----------------------------------------------------------------------------------

const stats = { requests: 0, byStatus: new Map(), fiveXx: 0, logouts: 0, latency: {} };

async function call(appUrl, jar, pathname, init = {}, kind = pathname) {
  const started = performance.now();
  const response = await fetch(`${appUrl}${pathname}`, {
    redirect: 'manual',
    ...init,
    headers: { cookie: jar.header(), ...init.headers },
  });
  const ms = performance.now() - started;
  await response.arrayBuffer();
  (stats.latency[kind] ??= []).push(ms);
  stats.requests += 1;
  stats.byStatus.set(response.status, (stats.byStatus.get(response.status) ?? 0) + 1);
  if (response.status >= 500) stats.fiveXx += 1;
  jar.store(response);
  return response;
}

async function timerRound(appUrl, sessions) {
  // Every tab at once: TABS requests per session carrying the same refresh token.
  const refreshes = await Promise.all(
    sessions.flatMap((jar) =>
      Array.from({ length: TABS }, () =>
        call(appUrl, jar, '/api/refresh', { method: 'POST' }, 'POST /api/refresh'),
      ),
    ),
  );
  stats.logouts += refreshes.filter((r) => r.status === 401).length;
  const reads = await Promise.all(
    sessions.flatMap((jar) =>
      Array.from({ length: TABS }, () => call(appUrl, jar, '/api/me', {}, 'GET /api/me')),
    ),
  );
  stats.logouts += reads.filter((r) => r.status === 401).length;
}

async function navigate(appUrl, jar) {
  let pathname = '/dashboard';
  for (let hop = 0; hop < 5; hop++) {
    const kind = `GET ${pathname.split('?')[0]}`;
    const response = await call(appUrl, jar, pathname, {}, kind);
    const location = response.headers.get('location');
    if (!location) return response.status === 200 ? 'ok' : 'failed';
    const target = new URL(location, appUrl);
    if (target.pathname === '/login' || target.pathname.startsWith('/auth/')) return 'logout';
    pathname = target.pathname + target.search;
  }
  return 'loop';
}

async function navigationRound(appUrl, sessions) {
  const outcomes = await Promise.all(
    sessions.flatMap((jar) => Array.from({ length: TABS }, () => navigate(appUrl, jar))),
  );
  stats.logouts += outcomes.filter((o) => o !== 'ok').length;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function main() {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    console.log('load: no production build yet, running `next build` first…');
    const built = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  // Free loopback ports unless LOAD_APP_PORT / LOAD_IDP_PORT pin them.
  const appPort = Number(process.env.LOAD_APP_PORT) || (await freePort());
  const idpPort = Number(process.env.LOAD_IDP_PORT) || (await freePort());
  const appUrl = `http://127.0.0.1:${appPort}`;
  const idpUrl = `http://localhost:${idpPort}`;
  const client = { id: 'skc_load_client', secret: 'load_client_secret_not_a_real_secret' };
  dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-load-'));
  start('idp', ['local-idp/server.mjs'], {
    LOCAL_IDP_PORT: String(idpPort),
    LOCAL_IDP_DATA_DIR: dataDir,
    LOCAL_IDP_PERSIST: '0',
    LOCAL_IDP_ACCESS_TOKEN_TTL: String(LOAD_TTL),
    APP_URL: appUrl,
    SCALEKIT_CLIENT_ID: client.id,
    SCALEKIT_CLIENT_SECRET: client.secret,
  });
  start(
    'app',
    ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(appPort)],
    {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      SCALEKIT_ENV_URL: idpUrl,
      SCALEKIT_CLIENT_ID: client.id,
      SCALEKIT_CLIENT_SECRET: client.secret,
      SESSION_COOKIE_SECRET: 'load-test-session-cookie-secret-0123456789abcdef',
      APP_URL: appUrl,
    },
  );
  await waitFor(`${idpUrl}/.well-known/openid-configuration`, 'local IdP');
  await waitFor(appUrl, 'next start');
  console.log(`load: app ${appUrl}, IdP ${idpUrl}, access tokens live ${LOAD_TTL} s`);

  const sessions = [];
  for (let i = 0; i < SESSIONS; i += 10) {
    sessions.push(...(await Promise.all(Array.from({ length: 10 }, () => signIn(appUrl)))));
  }
  console.log(`load: ${sessions.length} sessions signed in; ${TABS} tabs each`);

  await fetch(`${idpUrl}/__control/reset-stats`, { method: 'POST' });
  const started = performance.now();
  let rounds = 0;
  while (stats.requests < REQUESTS) {
    if (rounds % 2 === 0) {
      await timerRound(appUrl, sessions);
    } else {
      // Let every access token expire, as for a tab that was idle or asleep.
      await sleep((LOAD_TTL + CLOCK_TOLERANCE_S + 1) * 1000);
      await navigationRound(appUrl, sessions);
    }
    rounds += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const idp = await (await fetch(`${idpUrl}/__control/stats`)).json();

  console.log('');
  console.log(
    `requests              ${stats.requests} in ${seconds.toFixed(1)} s (${rounds} rounds)`,
  );
  console.log(`concurrent refreshes  ${SESSIONS * TABS} per round (${TABS} per refresh token)`);
  console.log(`5xx                   ${stats.fiveXx}`);
  console.log(`logouts               ${stats.logouts}`);
  console.log(
    `token-endpoint calls  ${idp.tokenRequests} (refresh grants ${idp.refreshRequests}; one per session per round would be ${SESSIONS * rounds})`,
  );
  console.log(`statuses              ${JSON.stringify(Object.fromEntries(stats.byStatus))}`);
  for (const [kind, values] of Object.entries(stats.latency)) {
    console.log(
      `latency ${kind.padEnd(22)} p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${percentile(values, 100).toFixed(0)} ms (n=${values.length})`,
    );
  }
  process.exitCode = stats.fiveXx || stats.logouts ? 1 : 0;
}

main()
  .catch((error) => {
    console.error(`load: ${error?.message ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
