import { describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as loginGET } from '@/app/login/route';
import { MAX_PARALLEL_LOGINS, stateCookieName } from '@/lib/login';
import { loginWithIdp } from '../helpers/idp-login';
import {
  appUrl,
  request,
  setCookies,
  signInThroughRoutes,
  stateCookieOf,
  USERS,
} from '../helpers/routes';
import { expectNo5xx, flip } from './helpers';

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
      [stateCookieName(near)]: attempt.value,
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

  it(`open attempts are capped at ${MAX_PARALLEL_LOGINS}: the oldest are dropped`, async () => {
    const jar: Record<string, string> = {};
    for (let i = 0; i < MAX_PARALLEL_LOGINS + 3; i++) {
      const login = await loginGET(request('/login', { cookies: jar }));
      for (const [name, c] of Object.entries(setCookies(login))) {
        if (c.attributes['max-age'] === '0') delete jar[name];
        else jar[name] = c.value;
      }
      // iat has one-second resolution; keep the order of attempts observable.
      if (i >= MAX_PARALLEL_LOGINS - 2) await new Promise((r) => setTimeout(r, 1_050));
    }
    expect(Object.keys(jar).filter((n) => n.startsWith('sk_oauth_state_'))).toHaveLength(
      MAX_PARALLEL_LOGINS,
    );
  }, 30_000);

  it('a garbage attempt cookie is cleared by the next /login', async () => {
    const login = await loginGET(
      request('/login', { cookies: { [stateCookieName('junk')]: 'junk' } }),
    );
    expect(setCookies(login)[stateCookieName('junk')]!.attributes['max-age']).toBe('0');
  });
});
