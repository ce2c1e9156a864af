#!/usr/bin/env node
// `npm run setup`: writes a working .env.local for a real Scalekit environment. Env files do not
// run shell (`$(openssl …)` in .env.local stays a literal string), so the cookie secret is
// generated here.
//
//   npm run setup                                       (asks for the three values)
//   npm run setup -- --env-url https://acme.scalekit.dev --client-id skc_… --client-secret …
//   options: --app-url <origin> (default http://localhost:3000), --dir <path> (default the
//   repository), --force (overwrite an existing .env.local)
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Characters a .env file gives a meaning to: whitespace and `#` (comments), quotes, `$`
 * (Next expands `$VAR` in values), backslash and backtick. A value free of them is read back
 * exactly as written, with no quoting.
 */
const ENV_SAFE = /^[\x21-\x7e]+$/;
const ENV_SPECIAL = /["'`$#\\]/;

/** @param {string} name @param {string} value */
function envValue(name, value) {
  if (!ENV_SAFE.test(value) || ENV_SPECIAL.test(value)) {
    throw new Error(
      `${name} contains spaces, quotes or one of $ # \\ \` — that is not a value the Scalekit dashboard shows. Copy it again from Developers > API Credentials.`,
    );
  }
  return value;
}

/**
 * An origin: https, or http only on this machine (Scalekit itself is always https; http is for
 * the bundled local IdP and a local app).
 * @param {string} name @param {string} value
 */
export function originOf(name, value) {
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`${name} must be a URL such as https://your-subdomain.scalekit.dev.`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`${name} must start with https:// (http:// only for localhost).`);
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw new Error(`${name} must be an origin only, e.g. ${url.protocol}//${url.host}.`);
  }
  return url.origin;
}

/** @param {{ envUrl: string, clientId: string, clientSecret: string, appUrl: string }} input */
export function envFile({ envUrl, clientId, clientSecret, appUrl }) {
  const values = {
    SCALEKIT_ENV_URL: originOf('--env-url', envUrl),
    SCALEKIT_CLIENT_ID: envValue('--client-id', clientId.trim()),
    SCALEKIT_CLIENT_SECRET: envValue('--client-secret', clientSecret.trim()),
    SESSION_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    APP_URL: originOf('--app-url', appUrl),
  };
  const body = [
    '# Written by `npm run setup`. Server-only secrets: never commit this file.',
    ...Object.entries(values).map(([k, v]) => `${k}=${v}`),
    '',
  ].join('\n');
  return { values, body };
}

async function main() {
  const { values: flags } = parseArgs({
    options: {
      'env-url': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'app-url': { type: 'string', default: 'http://localhost:3000' },
      dir: { type: 'string', default: path.resolve(import.meta.dirname, '..') },
      force: { type: 'boolean', default: false },
    },
  });
  const file = path.join(path.resolve(flags.dir), '.env.local');
  if (existsSync(file) && !flags.force) {
    throw new Error(`${file} already exists. Re-run with --force to replace it.`);
  }

  const questions = [
    ['env-url', 'Environment URL (Developers > API Credentials, e.g. https://acme.scalekit.dev)'],
    ['client-id', 'Client ID (skc_…)'],
    ['client-secret', 'Client secret'],
  ];
  const missing = questions.filter(([key]) => !flags[key]);
  if (missing.length > 0) {
    if (!process.stdin.isTTY) {
      throw new Error(
        `Missing ${missing.map(([key]) => `--${key}`).join(', ')} (or run it in a terminal to be asked).`,
      );
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      for (const [key, label] of missing) flags[key] = await rl.question(`${label}: `);
    } finally {
      rl.close();
    }
  }

  const { values, body } = envFile({
    envUrl: flags['env-url'] ?? '',
    clientId: flags['client-id'] ?? '',
    clientSecret: flags['client-secret'] ?? '',
    appUrl: flags['app-url'],
  });
  writeFileSync(file, body, { mode: 0o600, flag: flags.force ? 'w' : 'wx' });
  // An overwritten file keeps its old mode; this one holds a secret.
  chmodSync(file, 0o600);

  const app = values.APP_URL;
  console.log(
    [
      `Wrote ${file} (mode 0600) with a new SESSION_COOKIE_SECRET.`,
      '',
      'Register these in the Scalekit dashboard (Authentication > Redirects):',
      `  Allowed callback URL:  ${app}/api/callback   (where Scalekit returns after sign-in)`,
      `  Post-logout URL:       ${app}/               (where Scalekit returns after sign-out)`,
      `  Initiate login URL:    ${app}/login          (where Scalekit starts a sign-in: IdP-initiated SSO, invitations, expired login pages)`,
      '',
      'Then run `npm run dev`.',
    ].join('\n'),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().catch((error) => {
    console.error(`setup: ${error.message}`);
    process.exit(1);
  });
}
