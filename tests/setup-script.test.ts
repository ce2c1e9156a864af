import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '..', 'scripts', 'setup.mjs');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'setup-script-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const VALID = [
  '--env-url',
  'https://acme.scalekit.dev/',
  '--client-id',
  'skc_58327482062864390',
  '--client-secret',
  'test_Zx9-abc_123',
];

function setup(args: string[]) {
  return spawnSync(process.execPath, [script, '--dir', dir, ...args], {
    encoding: 'utf8',
    timeout: 15_000,
    // Not a terminal: a missing value is an error, not a question that hangs.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, NODE_ENV: 'development' },
  });
}

/** Reads the file the way `next dev` / `next start` will, in a process with a clean environment. */
function loadAsNext(): Record<string, string> {
  const code = `import('@next/env').then(({ default: e }) => process.stdout.write(JSON.stringify(e.loadEnvConfig(process.argv[1], true, { info() {}, error() {} }).parsedEnv)))`;
  const result = spawnSync(process.execPath, ['-e', code, dir], {
    cwd: path.dirname(script),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NODE_ENV: 'development' },
  });
  return JSON.parse(result.stdout);
}

describe('npm run setup', () => {
  it('writes a .env.local that Next reads back exactly, mode 0600, and prints the three dashboard URLs', () => {
    const result = setup([...VALID, '--app-url', 'https://app.example.com']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const file = path.join(dir, '.env.local');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const env = loadAsNext();
    expect(env.SCALEKIT_ENV_URL).toBe('https://acme.scalekit.dev');
    expect(env.SCALEKIT_CLIENT_ID).toBe('skc_58327482062864390');
    expect(env.SCALEKIT_CLIENT_SECRET).toBe('test_Zx9-abc_123');
    expect(env.APP_URL).toBe('https://app.example.com');
    // A real generated secret, not shell text: 32 random bytes, base64url.
    expect(env.SESSION_COOKIE_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8')).not.toMatch(/\$\(|openssl/);
    expect(result.stdout).toContain('https://app.example.com/api/callback');
    expect(result.stdout).toContain('https://app.example.com/ ');
    expect(result.stdout).toContain('https://app.example.com/login');
    // The secret is never echoed.
    expect(result.stdout).not.toContain('test_Zx9-abc_123');
  });

  it('a new secret every run', () => {
    setup(VALID);
    const first = loadAsNext().SESSION_COOKIE_SECRET;
    setup([...VALID, '--force']);
    expect(loadAsNext().SESSION_COOKIE_SECRET).not.toBe(first);
  });

  it('refuses to overwrite without --force, and leaves the file alone', () => {
    writeFileSync(path.join(dir, '.env.local'), 'KEEP=me\n');
    const result = setup(VALID);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--force');
    expect(readFileSync(path.join(dir, '.env.local'), 'utf8')).toBe('KEEP=me\n');
  });

  it('--force replaces it and tightens the mode', () => {
    writeFileSync(path.join(dir, '.env.local'), 'OLD=1\n', { mode: 0o644 });
    expect(setup([...VALID, '--force']).status).toBe(0);
    expect(statSync(path.join(dir, '.env.local')).mode & 0o777).toBe(0o600);
    expect(loadAsNext().OLD).toBeUndefined();
  });

  it.each([
    ['http env URL off this machine', ['--env-url', 'http://acme.scalekit.dev'], 'https://'],
    ['an env URL with a path', ['--env-url', 'https://acme.scalekit.dev/oauth'], 'origin only'],
    ['not a URL', ['--env-url', 'acme.scalekit.dev'], 'must be a URL'],
    [
      'a shell command as secret',
      ['--client-secret', '$(openssl rand -base64 32)'],
      '--client-secret',
    ],
    ['a secret with a space', ['--client-secret', 'a b'], '--client-secret'],
    ['a client id with a #', ['--client-id', 'skc_1#x'], '--client-id'],
    ['an http app URL off this machine', ['--app-url', 'http://app.example.com'], '--app-url'],
  ])('refuses %s and writes nothing', (_, override, message) => {
    const args = [...VALID];
    const at = args.indexOf(override[0]!);
    if (at === -1) args.push(...override);
    else args[at + 1] = override[1]!;
    const result = setup(args);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(() => statSync(path.join(dir, '.env.local'))).toThrow();
  });

  it('accepts http only on loopback (the local IdP)', () => {
    const result = setup([...VALID.slice(2), '--env-url', 'http://localhost:8787']);
    expect(result.status).toBe(0);
    expect(loadAsNext().SCALEKIT_ENV_URL).toBe('http://localhost:8787');
  });

  it('without a terminal, missing values are named instead of asked for', () => {
    const result = setup(['--env-url', 'https://acme.scalekit.dev']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--client-id, --client-secret');
  });
});
