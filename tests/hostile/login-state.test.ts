import { describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as loginGET } from '@/app/login/route';
import { MAX_PARALLEL_LOGINS, stateCookieName } from '@/lib/server/login/state-cookie';
import { loginWithIdp } from '../helpers/idp-login';
import {
  appUrl,
  request,
  setCookies,
  signInThroughRoutes,
  stateCookieOf,
  USERS,
} from '../helpers/routes';
import { BrowserJar, expectNo5xx, flip } from './helpers';

const HTTP = { secure: false };

const errorCode = (response: Response) =>
  new URL(response.headers.get('location')!).searchParams.get('code');

async function startAttempt(returnTo = '/dashboard') {
  const login = await loginGET(request(`/login?returnTo=${encodeURIComponent(returnTo)}`));
  const [name, cookie] = stateCookieOf(login);
  return { name, value: cookie.value, authorizeUrl: login.headers.get('location')! };
}

async function callback(query: string, cookies: Record<string, string> = {}) {
  const response = await callbackGET(request(`/api/callback?${query}`, { cookies }));
  expectNo5xx(response);
  // No failure ever sets a session.
  if (new URL(response.headers.get('location')!).pathname === '/auth/error') {
    expect(setCookies(response).sk_access_token).toBeUndefined();
  }
  return response;
}

describe('hostile login state', () => {
  it.each([
    ['no state and no code', ''],
    ['a code but no state', 'code=abc'],
    ['a state but no code', 'state=abc'],
    ['an empty state', 'code=abc&state='],
    ['a 10 KB state', `code=abc&state=${'a'.repeat(10_000)}`],
    ['a state with control characters', 'code=abc&state=%00%0d%0a'],
  ])('%s → readable error, no session', async (_label, query) => {
    const response = await callback(query);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/auth/error');
  });

  it('a forged state with no attempt cookie → state_missing', async () => {
    expect(errorCode(await callback('code=abc&state=forged'))).toBe('state_missing');
  });

  it('a tampered attempt cookie → state_missing', async () => {
    const attempt = await startAttempt();
    const state = new URL(attempt.authorizeUrl).searchParams.get('state')!;
    const response = await callback(`code=abc&state=${state}`, {
      [attempt.name]: flip(attempt.value),
    });
    expect(errorCode(response)).toBe('state_missing');
  });

  it('a real state whose cookie was issued to another browser → state_missing', async () => {
    const victim = await startAttempt();
    const attacker = await startAttempt();
    const victimState = new URL(victim.authorizeUrl).searchParams.get('state')!;
    const response = await callback(`code=abc&state=${victimState}`, {
      [attacker.name]: attacker.value,
    });
    expect(errorCode(response)).toBe('state_missing');
  });

  it('a state that differs by one character from the sealed one → refused', async () => {
    const attempt = await startAttempt();
    const state = new URL(attempt.authorizeUrl).searchParams.get('state')!;
    const near = flip(state, 5);
    const response = await callback(`code=abc&state=${near}`, {
      [stateCookieName(near, HTTP)]: attempt.value,
    });
    expect(errorCode(response)).toBe('state_mismatch');
  });

  it('a replayed callback (state and code already used) → no second session', async () => {
    const first = await signInThroughRoutes(USERS.alice);
    const replay = await callbackGET(first.callbackRequest());
    expectNo5xx(replay);
    expect(errorCode(replay)).toBe('code_exchange_failed');
  });

  it("an attacker's own code injected into the victim's callback fails PKCE (login CSRF)", async () => {
    // The attacker signs in as themselves and stops before their callback...
    const attackerAttempt = await startAttempt();
    const attackerIdp = await loginWithIdp(attackerAttempt.authorizeUrl, {
      ...USERS.bob,
      stopAt: appUrl(),
    });
    // ...then plants their code in a callback that carries the victim's own state and cookie.
    const victim = await startAttempt();
    const victimState = new URL(victim.authorizeUrl).searchParams.get('state')!;
    const response = await callback(`code=${attackerIdp.code}&state=${victimState}`, {
      [victim.name]: victim.value,
    });
    expect(errorCode(response)).toBe('code_exchange_failed');
  });

  it('a made-up code with a valid state → code_exchange_failed', async () => {
    const attempt = await startAttempt();
    const state = new URL(attempt.authorizeUrl).searchParams.get('state')!;
    const response = await callback(`code=made-up-code&state=${state}`, {
      [attempt.name]: attempt.value,
    });
    expect(errorCode(response)).toBe('code_exchange_failed');
  });

  it('two tabs signing in at once both complete', async () => {
    const tabA = await startAttempt('/dashboard?tab=a');
    const tabB = await startAttempt('/dashboard?tab=b');
    const both = { [tabA.name]: tabA.value, [tabB.name]: tabB.value };
    const idpA = await loginWithIdp(tabA.authorizeUrl, { ...USERS.alice, stopAt: appUrl() });
    const idpB = await loginWithIdp(tabB.authorizeUrl, { ...USERS.alice, stopAt: appUrl() });
    // B finishes first, then A, each with the whole jar.
    const doneB = await callback(idpB.callbackUrl.search.slice(1), both);
    const doneA = await callback(idpA.callbackUrl.search.slice(1), { [tabA.name]: tabA.value });
    expect(doneB.headers.get('location')).toBe(`${appUrl()}/dashboard?tab=b`);
    expect(doneA.headers.get('location')).toBe(`${appUrl()}/dashboard?tab=a`);
    // Each callback spends only its own attempt.
    expect(setCookies(doneB)[tabB.name]!.attributes['max-age']).toBe('0');
    expect(setCookies(doneB)[tabA.name]).toBeUndefined();
  });

  it(`40 /login calls in a row (a cross-site loop) leave at most ${MAX_PARALLEL_LOGINS} attempts, and the latest completes`, async () => {
    const browser = new BrowserJar();
    let last: Response | undefined;
    for (let i = 0; i < 40; i++) {
      last = await loginGET(
        request('/login?returnTo=/dashboard', { cookies: browser.for('/login') }),
      );
      expectNo5xx(last);
      browser.take(last);
    }
    const live = browser.names().filter((n) => n.startsWith('sk_oauth_state_'));
    expect(live.length).toBeLessThanOrEqual(MAX_PARALLEL_LOGINS);
    const callbackJar = browser.for('/api/callback');
    // Far below the ~8-16 KB where servers answer 431.
    expect(JSON.stringify(callbackJar).length).toBeLessThan(MAX_PARALLEL_LOGINS * 1_000);
    const idp = await loginWithIdp(last!.headers.get('location')!, {
      ...USERS.alice,
      stopAt: appUrl(),
    });
    const done = await callback(idp.callbackUrl.search.slice(1), callbackJar);
    expect(done.headers.get('location')).toBe(`${appUrl()}/dashboard`);
    expect(setCookies(done).sk_access_token?.value).toBeTruthy();
  }, 60_000);

  it(`${MAX_PARALLEL_LOGINS} tabs started through one browser all complete, in any order`, async () => {
    const browser = new BrowserJar();
    const tabs: string[] = [];
    for (let i = 0; i < MAX_PARALLEL_LOGINS; i++) {
      const login = await loginGET(
        request(`/login?returnTo=/dashboard?tab=${i}`, { cookies: browser.for('/login') }),
      );
      browser.take(login);
      tabs.push(login.headers.get('location')!);
    }
    for (const i of [...tabs.keys()].reverse()) {
      const idp = await loginWithIdp(tabs[i]!, { ...USERS.alice, stopAt: appUrl() });
      const done = await callback(idp.callbackUrl.search.slice(1), browser.for('/api/callback'));
      expect(done.headers.get('location')).toBe(`${appUrl()}/dashboard?tab=${i}`);
      browser.take(done);
    }
  }, 60_000);

  it('a tampered attempt index expires only our own attempt cookies, never a 5xx', async () => {
    const hostile = [
      'x'.repeat(5_000),
      '../../etc;sk_access_token',
      'sk_access_token.sk_refresh_token',
      Array.from({ length: 50 }, (_, i) => String(i).padStart(16, 'a')).join('.'),
    ];
    for (const value of hostile) {
      const login = await loginGET(request('/login', { cookies: { sk_login_attempts: value } }));
      expectNo5xx(login);
      const set = setCookies(login);
      for (const [name, c] of Object.entries(set)) {
        if (c.attributes['max-age'] === '0') {
          expect(name).toMatch(/^sk_oauth_state_[\w-]{16}$/);
          expect(c.attributes.path).toBe('/api/callback');
        }
      }
      expect(
        Object.keys(set).filter((n) => set[n]!.attributes['max-age'] === '0').length,
      ).toBeLessThanOrEqual(MAX_PARALLEL_LOGINS);
      expect(set.sk_login_attempts!.value.split('.').length).toBeLessThanOrEqual(
        MAX_PARALLEL_LOGINS,
      );
    }
  });

  it('the callback clears garbage attempt cookies and any beyond the bound that /login never listed', async () => {
    const jar: Record<string, string> = { [stateCookieName('junk', HTTP)]: 'junk' };
    // Attempts planted before the index existed (or around it): all valid, none listed.
    for (let i = 0; i < MAX_PARALLEL_LOGINS + 3; i++) {
      const attempt = await startAttempt();
      jar[attempt.name] = attempt.value;
    }
    const response = await callback('code=abc&state=forged', jar);
    const expired = Object.entries(setCookies(response))
      .filter(([, c]) => c.attributes['max-age'] === '0')
      .map(([name]) => name);
    expect(expired).toContain(stateCookieName('junk', HTTP));
    const left = Object.keys(jar).filter((n) => !expired.includes(n));
    expect(left.length).toBeLessThan(MAX_PARALLEL_LOGINS);
  });
});
