// Sessions and devices through the real routes and the real SDK against a local IdP of this
// file's own (its session store is not shared with other test files, and it can be stopped).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalIdp } from '../local-idp/server.mjs';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { sessionsForPage } from '@/lib/server/sessions/page-data';
import { sessionFromCookie, type AuthenticatedSession } from '@/lib/server/session/session';
import { clearSessionMemo, forgetRevocations } from '@/lib/server/testing';
import { pointAppAt, startOwnIdp } from './helpers/own-idp';
import { appUrl, request, setCookies, USERS } from './helpers/routes';
import {
  CHROME_MAC,
  pageCookies,
  postRevoke,
  postSignOutEverywhere,
  refreshWith,
  SAFARI_IPHONE,
  signInDevice,
  USER_IDS,
  type Device,
} from './helpers/sessions';

const LOCATION = { city: 'Berlin', region_subdivision: 'Berlin', region: 'Germany' };
let own: Awaited<ReturnType<typeof startOwnIdp>>;
let idp: LocalIdp;

beforeAll(async () => {
  // Loopback sign-ins have no location; this IdP plays one (Scalekit's GeoIP would).
  own = await startOwnIdp('app-sessions', { sessionLocation: LOCATION });
  idp = own.idp;
  pointAppAt(idp);
});
afterAll(() => own.close());
afterEach(() => clearSessionMemo());

const sessionOf = (device: Device) => sessionFromCookie(device.cookies.sk_access_token);
async function authenticated(device: Device): Promise<AuthenticatedSession> {
  const session = await sessionOf(device);
  if (session.status !== 'authenticated') throw new Error(`not signed in: ${session.status}`);
  return session;
}
const idpStatus = (sid: string) => idp.getSession(sid)?.status;

describe('listing the signed-in user’s sessions', () => {
  it('shows both devices in words, this one marked and first, and nobody else’s', async () => {
    const laptop = await signInDevice(USERS.alice, CHROME_MAC);
    const phone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    const bob = await signInDevice(USERS.bob);
    const page = await sessionsForPage(await authenticated(laptop));
    expect(page.error).toBeUndefined();
    const ids = page.rows.map((r) => r.id);
    expect(ids[0]).toBe(laptop.sid);
    expect(ids).toContain(phone.sid);
    expect(ids).not.toContain(bob.sid);
    const [here, ...others] = page.rows;
    expect(here).toMatchObject({ thisDevice: true, device: 'Chrome 131 on macOS 10.15' });
    expect(others.find((r) => r.id === phone.sid)).toMatchObject({
      thisDevice: false,
      device: 'Safari 17 on iOS 17.5',
      deviceType: 'Mobile',
    });
    expect(here!.location).toBe('Berlin, Germany');
    expect(here!.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(Math.abs(here!.lastActiveAt! - Date.now())).toBeLessThan(60_000);
  });

  it('does not list revoked sessions', async () => {
    const laptop = await signInDevice();
    const gone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    idp.revokeSession(gone.sid);
    const page = await sessionsForPage(await authenticated(laptop));
    expect(page.rows.map((r) => r.id)).not.toContain(gone.sid);
  });
});

describe('revoking another device', () => {
  it('303 back to the page; the other device is refused at once, its refresh too', async () => {
    const laptop = await signInDevice();
    const phone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    await authenticated(phone); // memoized: the warm path must notice too
    const response = await postRevoke(laptop, phone.sid);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/account/sessions');
    expect(setCookies(response).auth_notice?.value).toBe('session_revoked');
    expect(idpStatus(phone.sid)).toBe('revoked');
    expect((await sessionOf(phone)).status).toBe('unauthenticated');
    expect((await refreshWith(phone)).status).toBe(401);
    // Nor is its access token handed to the page for a backend.
    const token = await accessTokenGET(
      request('/api/access-token', { cookies: pageCookies(phone) }),
    );
    expect(token.status).toBe(401);
    // This device is untouched.
    expect((await sessionOf(laptop)).status).toBe('authenticated');
    expect(idpStatus(laptop.sid)).toBe('active');
  });

  it('revoking this device’s own row signs it out here (cookies cleared)', async () => {
    const laptop = await signInDevice();
    const response = await postRevoke(laptop, laptop.sid);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/');
    expect(setCookies(response).sk_access_token?.value).toBe('');
    expect(idpStatus(laptop.sid)).toBe('revoked');
    expect((await sessionOf(laptop)).status).toBe('unauthenticated');
  });

  it('another user’s session id: 404, and that session lives on', async () => {
    const alice = await signInDevice();
    const bob = await signInDevice(USERS.bob);
    const response = await postRevoke(alice, bob.sid);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Session not found');
    expect(idpStatus(bob.sid)).toBe('active');
    expect((await sessionOf(bob)).status).toBe('authenticated');
    expect((await refreshWith(bob)).status).toBe(200);
  });

  it('an unknown or malformed id: 404', async () => {
    const alice = await signInDevice();
    for (const id of ['ses_00000000000000000000000000', 'not-a-session', '']) {
      expect((await postRevoke(alice, id)).status).toBe(404);
    }
    expect((await sessionOf(alice)).status).toBe('authenticated');
  });
});

describe('sign out everywhere', () => {
  it('ends every session of the user, this device last; other users keep theirs', async () => {
    const laptop = await signInDevice();
    const phone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    const bob = await signInDevice(USERS.bob);
    const response = await postSignOutEverywhere(laptop);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/');
    expect(setCookies(response).auth_notice?.value).toBe('signed_out_everywhere');
    expect(setCookies(response).sk_access_token?.value).toBe('');
    expect(idp.listSessions(USER_IDS.alice).filter((s) => s.status === 'active')).toEqual([]);
    for (const device of [laptop, phone]) {
      expect((await sessionOf(device)).status).toBe('unauthenticated');
      expect((await refreshWith(device)).status).toBe(401);
    }
    expect(idpStatus(bob.sid)).toBe('active');
    expect((await sessionOf(bob)).status).toBe('authenticated');
  });
});

describe('sign-out', () => {
  const signOut = (device: Device) =>
    logoutPOST(
      request('/logout', {
        method: 'POST',
        cookies: pageCookies(device),
        headers: { origin: appUrl() },
      }),
    );

  it('revokes this device’s IdP session too', async () => {
    const laptop = await signInDevice();
    const phone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    expect((await signOut(laptop)).status).toBe(303);
    expect(idpStatus(laptop.sid)).toBe('revoked');
    expect(idpStatus(phone.sid)).toBe('active');
  });

  it('a copied refresh cookie mints nothing afterwards, even on an instance that never saw the sign-out', async () => {
    const laptop = await signInDevice();
    await signOut(laptop);
    forgetRevocations(); // an instance without the deny record: the IdP refuses the family itself
    expect((await refreshWith(laptop)).status).toBe(401);
  });

  it('a copied access cookie is refused afterwards, memo warm or cold', async () => {
    const laptop = await signInDevice();
    await authenticated(laptop);
    await signOut(laptop);
    expect((await sessionOf(laptop)).status).toBe('unauthenticated');
    clearSessionMemo();
    expect((await sessionOf(laptop)).status).toBe('unauthenticated');
  });
});

describe('the IdP down', () => {
  it('revoke and sign out everywhere answer 503 and keep the session; the page says so', async () => {
    const laptop = await signInDevice();
    const phone = await signInDevice(USERS.alice, SAFARI_IPHONE);
    const session = await authenticated(laptop); // memoized, so no JWKS fetch is needed below
    await authenticated(phone);
    await idp.close();
    try {
      const started = Date.now();
      const revoke = await postRevoke(laptop, phone.sid);
      expect(revoke.status).toBe(503);
      expect(revoke.headers.get('retry-after')).toBe('5');
      expect(await revoke.text()).toContain('Your session is kept');
      const everywhere = await postSignOutEverywhere(laptop);
      expect(everywhere.status).toBe(503);
      expect(setCookies(everywhere).sk_access_token).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(12_000);
      expect((await sessionOf(laptop)).status).toBe('authenticated');
      expect((await sessionOf(phone)).status).toBe('authenticated');
      expect((await sessionsForPage(session)).error).toBe('idp_unavailable');
      // Signing out still happens, without waiting long on the IdP.
      const signOutStarted = Date.now();
      const logout = await logoutPOST(
        request('/logout', {
          method: 'POST',
          cookies: pageCookies(laptop),
          headers: { origin: appUrl() },
        }),
      );
      expect(logout.status).toBe(303);
      expect(setCookies(logout).sk_access_token?.value).toBe('');
      expect(Date.now() - signOutStarted).toBeLessThan(4_000);
      expect((await sessionOf(laptop)).status).toBe('unauthenticated');
    } finally {
      own = await startOwnIdp('app-sessions-2');
      idp = own.idp;
      pointAppAt(idp);
    }
  });
});
