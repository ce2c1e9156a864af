import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { signInOverHttp } from '../tests/helpers/http-session';
import { freePort } from '../tests/helpers/ports';
import { USERS } from '../tests/helpers/users';
import {
  layOutRuntimeImage,
  readDockerfile,
  startServer,
  startSlowTokenProxy,
  type RunningServer,
} from './standalone';

// What production runs, from the build Playwright's webServer made (NEXT_OUTPUT=standalone, so
// one build serves the whole suite): the Dockerfile's runtime stage laid out and run outside
// Docker, and a production-only install (`npm ci --omit=dev && npm start`). Each against a local
// IdP of its own, started separately from the app, with production settings.

const CLIENT = { clientId: 'skc_production_check', clientSecret: 'production_check_secret_0' };
const randomSecret = () => randomBytes(32).toString('base64url');

const dockerfile = readDockerfile();
const runner = dockerfile.runner;

function appSettings(idpUrl: string, appUrl: string): Record<string, string> {
  return {
    SCALEKIT_ENVIRONMENT_URL: idpUrl,
    SCALEKIT_CLIENT_ID: CLIENT.clientId,
    SCALEKIT_CLIENT_SECRET: CLIENT.clientSecret,
    SESSION_COOKIE_SECRET: randomSecret(),
    APP_URL: appUrl,
  };
}

async function ownIdp(appUrl: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-production-'));
  const idp = await startLocalIdp({
    port: 0,
    dataDir,
    appUrl,
    ...CLIENT,
    persist: false,
    log: false,
  });
  return {
    idp,
    async close() {
      await idp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The image's CMD with the image's ENV, on a loopback port of this run. */
async function runImage(dir: string, settings: Record<string, string>, port: number) {
  return startServer(runner.cmd!, {
    cwd: dir,
    // HOSTNAME: the image listens on every interface; the test keeps to loopback.
    env: { ...runner.env, ...settings, PORT: String(port), HOSTNAME: '127.0.0.1' },
    url: `http://127.0.0.1:${port}`,
  });
}

async function signInInBrowser(page: Page, appUrl: string, idp: LocalIdp) {
  await page.goto(`${appUrl}/dashboard`);
  await expect(page).toHaveURL((url) => url.href.startsWith(idp.url));
  await page.getByLabel('Email').fill(USERS.alice.email);
  await page.getByLabel('Password').fill(USERS.alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${appUrl}/dashboard`);
  await expect(page.getByTestId('user-email')).toHaveText(USERS.alice.email);
}

test.describe('the Dockerfile', () => {
  test('builds on Node 24 slim, runs as non-root, and copies only what the build made', () => {
    expect(dockerfile.args.NODE_IMAGE).toMatch(/^node:24-[a-z]+-slim$/);
    for (const stage of dockerfile.stages) expect(stage.from).toBe(dockerfile.args.NODE_IMAGE);
    const builder = dockerfile.stages.find((s) => s.name === 'builder')!;
    expect(builder.env.NEXT_OUTPUT).toBe('standalone');

    expect(runner.user).toBeDefined();
    expect(['root', '0']).not.toContain(runner.user!.split(':')[0]);
    expect(runner.env).toMatchObject({
      NODE_ENV: 'production',
      NEXT_MANUAL_SIG_HANDLE: 'true',
      HOSTNAME: '0.0.0.0',
    });
    // Only the standalone output, its static assets and public/: no source, no node_modules.
    expect(runner.copies.map((c) => `${c.from} ${c.src}`)).toEqual([
      'builder /app/.next/standalone',
      'builder /app/.next/static',
      'builder /app/public',
    ]);
    for (const copy of runner.copies) {
      expect(existsSync(path.relative('/app', copy.src)), copy.src).toBe(true);
    }
    expect(runner.cmd).toEqual(['node', 'server.js']);
    expect(existsSync('.next/standalone/server.js')).toBe(true);
    // The traced output carries no dev-only package.
    expect(readdirSync('.next/standalone/node_modules')).not.toContain('oidc-provider');
    expect(runner.healthcheck?.join(' ')).toContain("'/api/health'");
  });

  test('.dockerignore keeps secrets and local state out of the build context, and compose runs app + Redis', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const name of ['.env', '.env.*', 'node_modules', '.next', '.git', '.local-idp']) {
      expect(ignored).toContain(name);
    }
    for (const needed of [
      'app',
      'lib',
      'components',
      'public',
      'package.json',
      'package-lock.json',
    ]) {
      expect(ignored.some((pattern) => pattern.replace(/\/$/, '') === needed)).toBe(false);
    }
    const compose = readFileSync('compose.yaml', 'utf8');
    expect(compose).toMatch(/^ {2}app:\n {4}build: \.$/m);
    expect(compose).toMatch(/^ {4}env_file: \.env$/m);
    expect(compose).toMatch(/^ {6}REDIS_URL: redis:\/\/redis:6379$/m);
    expect(compose).toMatch(/^ {2}redis:\n {4}image: redis:/m);
  });
});

test.describe('the standalone server, laid out as the image', () => {
  test.describe.configure({ timeout: 180_000 });
  let dir: string;
  test.beforeAll(() => {
    dir = layOutRuntimeImage(runner);
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('signs in, refreshes and signs out; health answers; no console error or 404, 403 page included', async ({
    page,
  }) => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const { idp, close } = await ownIdp(appUrl);
    let server: RunningServer | undefined;
    try {
      server = await runImage(dir, appSettings(idp.url, appUrl), port);
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() === 404) problems.push(`404 ${r.url()}`);
      });

      await signInInBrowser(page, appUrl, idp);
      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      expect(icon).toMatch(/^\/icon\.svg/);
      expect((await page.request.get(`${appUrl}${icon}`)).status()).toBe(200);

      const cookieBefore = (await page.context().cookies(appUrl)).find(
        (c) => c.name === 'sk_access_token',
      )?.value;
      const refreshed = await page.evaluate(async () => {
        const r = await fetch('/api/refresh', { method: 'POST' });
        return { status: r.status, body: await r.json() };
      });
      expect(refreshed).toMatchObject({ status: 200, body: { ok: true } });
      const cookieAfter = (await page.context().cookies(appUrl)).find(
        (c) => c.name === 'sk_access_token',
      )?.value;
      expect(cookieAfter).toBeTruthy();
      expect(cookieAfter).not.toBe(cookieBefore);
      await page.reload();
      await expect(page.getByTestId('user-email')).toHaveText(USERS.alice.email);

      expect(await (await fetch(`${appUrl}/api/health`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${appUrl}/api/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', failed: [] });

      // Sign out the way the sign-out form does: a same-origin POST navigation.
      await page.evaluate(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/logout';
        document.body.append(form);
        form.submit();
      });
      await expect(page).toHaveURL(`${appUrl}/`);
      const left = (await page.context().cookies(appUrl)).map((c) => c.name);
      expect(left.filter((n) => n.startsWith('sk_'))).toEqual([]);
      await page.goto(`${appUrl}/dashboard`);
      await expect(page.getByLabel('Password')).toBeVisible();
      expect(problems).toEqual([]);

      // The 403 page (forbidden()) for a member: only the browser's own line about the status.
      await page.getByLabel('Email').fill(USERS.bob.email);
      await page.getByLabel('Password').fill(USERS.bob.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(`${appUrl}/dashboard`);
      const forbidden = await page.goto(`${appUrl}/admin`);
      expect(forbidden?.status()).toBe(403);
      await expect(page.getByTestId('forbidden')).toBeVisible();
      expect(problems).toEqual([
        'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      ]);
    } finally {
      server?.process.kill('SIGKILL');
      await close();
    }
  });

  test('SIGTERM during a refresh: not ready at once, the refresh completes, exit 0', async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const { idp, close } = await ownIdp(appUrl);
    const proxy = await startSlowTokenProxy(idp.url);
    let server: RunningServer | undefined;
    try {
      // The app reaches the IdP through the proxy, which can hold a token request in flight.
      server = await runImage(dir, appSettings(proxy.url, appUrl), port);
      const jar = await signInOverHttp(appUrl);
      const HOLD_MS = 2_000;
      proxy.slowTokens(HOLD_MS);
      idp.resetStats();

      const refresh = fetch(`${appUrl}/api/refresh`, {
        method: 'POST',
        headers: { cookie: jar.header(`${appUrl}/api/refresh`)!, 'sec-fetch-site': 'same-origin' },
      });
      await proxy.onTokenRequest();
      const signalled = Date.now();
      server.process.kill('SIGTERM');
      // Still answering, but telling the load balancer to send nothing new.
      await expect
        .poll(async () => (await fetch(`${appUrl}/api/health/ready`)).status, { timeout: 1_000 })
        .toBe(503);
      const ready = await (await fetch(`${appUrl}/api/health/ready`)).json();
      expect(ready).toMatchObject({ status: 'not_ready', failed: ['shutdown'] });

      const response = await refresh;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true });
      expect(response.headers.getSetCookie().some((c) => c.startsWith('sk_refresh_token='))).toBe(
        true,
      );
      expect(idp.stats.refreshRequests).toBe(1);

      const exit = await server.exited;
      const took = Date.now() - signalled;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(took).toBeGreaterThanOrEqual(HOLD_MS - 200);
      expect(took).toBeLessThan(HOLD_MS + 5_000);
      expect(server.output()).toContain('[shutdown] SIGTERM: draining, 1 refresh(es) in flight');
      expect(server.output()).not.toContain('cut off');
    } catch (error) {
      console.log(server?.output());
      throw error;
    } finally {
      server?.process.kill('SIGKILL');
      await proxy.close();
      await close();
    }
  });
});

test.describe('a production-only install', () => {
  test.describe.configure({ timeout: 300_000 });

  test('`npm ci --omit=dev && npm start` has no dev package and serves a sign-in', async () => {
    // The checkout and its build, as a deploy would have them, without node_modules.
    const dir = mkdtempSync(path.join(tmpdir(), 'production-install-'));
    const skip = new Set([
      'node_modules',
      '.git',
      '.local-idp',
      'test-results',
      'playwright-report',
    ]);
    cpSync('.', dir, {
      recursive: true,
      filter: (src) => {
        const rel = path.relative('.', src);
        const top = rel.split(path.sep)[0]!;
        return (
          !skip.has(top) &&
          rel !== path.join('.next', 'cache') &&
          rel !== path.join('.next', 'standalone')
        );
      },
    });
    let server: RunningServer | undefined;
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const { idp, close } = await ownIdp(appUrl);
    try {
      // Offline, from the npm cache `npm ci` filled for the suite: no network in tests.
      const install = spawnSync(
        'npm',
        ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'],
        { cwd: dir, encoding: 'utf8', timeout: 240_000 },
      );
      expect(install.status, install.stderr).toBe(0);

      const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      const devOnly = Object.entries(lock.packages)
        .filter(([key, meta]) => key.startsWith('node_modules/') && meta.dev)
        .map(([key]) => key);
      expect(devOnly).toContain('node_modules/oidc-provider');
      expect(devOnly.filter((key) => existsSync(path.join(dir, key)))).toEqual([]);

      server = await startServer(['npm', 'start', '--', '-p', String(port), '-H', '127.0.0.1'], {
        cwd: dir,
        env: appSettings(idp.url, appUrl),
        url: appUrl,
        detached: true,
      });
      const jar = await signInOverHttp(appUrl);
      const dashboard = await fetch(`${appUrl}/dashboard`, {
        headers: { cookie: jar.header(`${appUrl}/dashboard`)! },
        redirect: 'manual',
      });
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain(USERS.alice.email);

      // SIGTERM to the process group, as a terminal or systemd sends it: the app drains and stops.
      // (npm's shell does not pass a signal sent to npm alone on; docs/7-deploy.md.)
      process.kill(-server.process.pid!, 'SIGTERM');
      await expect.poll(() => server!.output(), { timeout: 20_000 }).toContain('[shutdown] done');
      await expect
        .poll(
          () =>
            fetch(`${appUrl}/api/health`).then(
              () => 'up',
              () => 'down',
            ),
          { timeout: 5_000 },
        )
        .toBe('down');
      expect(server.output()).not.toContain('NEXT_MANUAL_SIG_HANDLE is not set');
    } finally {
      if (server) {
        try {
          process.kill(-server.process.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
