#!/usr/bin/env node
// `npm run dev`: with real SCALEKIT_* settings, plain `next dev`. Without them, the bundled
// local IdP starts first and the app is pointed at it, so sign-in works with no account.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nextEnv from '@next/env';
import {
  devAppUrl,
  devPort,
  LOCAL_CLIENT,
  localIdpConflict,
  scalekitEnvUrl,
} from './dev-guard.mjs';

const root = path.resolve(import.meta.dirname, '..');
nextEnv.loadEnvConfig(root, true, { info: () => {}, error: console.error });

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const children = [];

function run(cmd, args, extraEnv = {}, { optional = false } = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  children.push(child);
  child.on('exit', (code) => {
    // The example API is a demo: if it cannot start (say its port is taken), the app still runs.
    if (optional) return;
    // One process ending (or crashing) ends the whole dev session, so nothing lingers.
    for (const other of children) if (other !== child) other.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  return child;
}

// The separate backend the dashboard's "Call the API" button talks to (examples/api-server).
const apiServer = path.join(root, 'examples', 'api-server', 'server.mjs');
const apiPort = new URL(env.EXAMPLE_API_URL || 'http://localhost:4000').port || '4000';

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => children.forEach((c) => c.kill(signal)));
}

const nextArgs = ['dev', ...process.argv.slice(2)];
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

const conflict = localIdpConflict(env);
if (conflict) {
  console.error(`\n  npm run dev: ${conflict.replaceAll('\n', '\n  ')}\n`);
  process.exit(1);
}

// APP_URL follows `-p`/PORT, so the callback comes back to the port the app listens on.
const dev = devAppUrl(env, devPort(process.argv.slice(2), env));
if (dev.error) {
  console.error(`\n  npm run dev: ${dev.error.replaceAll('\n', '\n  ')}\n`);
  process.exit(1);
}
const appUrl = dev.appUrl;

const scalekit = scalekitEnvUrl(env);
if (scalekit) {
  console.log(`\n  Using Scalekit at ${scalekit.value} (${scalekit.name}). App: ${appUrl}\n`);
  run(process.execPath, [apiServer], { API_PORT: apiPort }, { optional: true });
  run(process.execPath, [nextBin, ...nextArgs], { APP_URL: appUrl });
} else {
  const port = env.LOCAL_IDP_PORT || '8787';
  const dataDir = env.LOCAL_IDP_DATA_DIR || path.join(root, '.local-idp');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // A stable dev-only cookie secret, kept beside the IdP's keys, so a restart keeps you signed in.
  const secretFile = path.join(dataDir, 'session-cookie-secret');
  if (!existsSync(secretFile)) {
    writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  const localEnv = {
    SCALEKIT_ENV_URL: `http://localhost:${port}`,
    SCALEKIT_CLIENT_ID: LOCAL_CLIENT.clientId,
    SCALEKIT_CLIENT_SECRET: LOCAL_CLIENT.clientSecret,
    SESSION_COOKIE_SECRET: env.SESSION_COOKIE_SECRET || readFileSync(secretFile, 'utf8').trim(),
    APP_URL: appUrl,
    LOCAL_IDP_PORT: port,
    LOCAL_IDP_DATA_DIR: dataDir,
  };
  console.log(
    [
      '',
      '  No SCALEKIT_ENVIRONMENT_URL / SCALEKIT_ENV_URL set: using the bundled local IdP (no Scalekit account needed).',
      `  IdP:  http://localhost:${port}`,
      `  App:  ${appUrl}`,
      `  IdP-initiated SSO: open http://localhost:${port}/__control/idp-initiated-login`,
      '  Sign in as alice@example.com / alice-password (admin) or bob@example.com / bob-password (member).',
      '  To use real Scalekit, run `npm run setup` (writes .env.local).',
      '',
    ].join('\n'),
  );
  run(process.execPath, [path.join(root, 'local-idp', 'server.mjs')], localEnv);
  run(process.execPath, [apiServer], { ...localEnv, API_PORT: apiPort }, { optional: true });
  run(process.execPath, [nextBin, ...nextArgs], localEnv);
}
