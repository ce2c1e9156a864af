import { describe, expect, it } from 'vitest';
import { devAppUrl, devPort } from '../scripts/dev-guard.mjs';
import { parseConfig } from '@/lib/server/config';

// `npm run dev -- -p 4000` must not send sign-in back to port 3000.

describe('npm run dev: the port', () => {
  it.each([
    [[], {}, '3000'],
    [['-p', '4000'], {}, '4000'],
    [['-p4001'], {}, '4001'],
    [['--port', '4002'], {}, '4002'],
    [['--port=4003'], {}, '4003'],
    [['--turbopack', '-p', '4004'], { PORT: '5000' }, '4004'],
    [[], { PORT: '5001' }, '5001'],
  ])('%j with %j listens on %s', (args, env, port) => {
    expect(devPort(args, env)).toBe(port);
  });
});

describe('npm run dev: APP_URL', () => {
  it('follows the port when unset', () => {
    expect(devAppUrl({}, '4000')).toEqual({ appUrl: 'http://localhost:4000' });
  });

  it('keeps one that matches the port, or names a public host (a tunnel, a proxy)', () => {
    expect(devAppUrl({ APP_URL: 'http://localhost:4000' }, '4000').appUrl).toBe(
      'http://localhost:4000',
    );
    expect(devAppUrl({ APP_URL: 'https://dev.example.com' }, '4000').appUrl).toBe(
      'https://dev.example.com',
    );
  });

  it('refuses a localhost APP_URL on another port, naming both ports and the fix', () => {
    const { error, appUrl } = devAppUrl({ APP_URL: 'http://localhost:3000' }, '4000');
    expect(appUrl).toBeUndefined();
    expect(error).toContain('APP_URL is http://localhost:3000');
    expect(error).toContain('listen on port 4000');
    expect(error).toContain('APP_URL=http://localhost:4000');
  });
});

describe('next dev -p without npm run dev', () => {
  const base = {
    SCALEKIT_ENV_URL: 'http://localhost:8787',
    SCALEKIT_CLIENT_ID: 'skc_1',
    SCALEKIT_CLIENT_SECRET: 'secret',
    SESSION_COOKIE_SECRET: 'dev-session-cookie-secret-0123456789abcdef',
  };

  it('derives the app URL from the port Next listens on (PORT)', () => {
    expect(parseConfig({ ...base, NODE_ENV: 'development', PORT: '4000' }).appUrl).toBe(
      'http://localhost:4000',
    );
    expect(parseConfig({ ...base, NODE_ENV: 'development' }).appUrl).toBe('http://localhost:3000');
  });

  it('never guesses in production', () => {
    expect(() => parseConfig({ ...base, NODE_ENV: 'production', PORT: '4000' })).toThrow(
      /APP_URL is not set/,
    );
  });
});
