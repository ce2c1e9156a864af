import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { startLocalIdp, type LocalIdp } from '../local-idp/server.mjs';
import { loginWithIdp } from './helpers/idp-login';
import {
  appUrl,
  request,
  setCookies,
  signInThroughRoutes,
  stateCookieOf,
  USERS,
} from './helpers/routes';
import { sessionOf } from './hostile/helpers';
import { resetConfig, resetIdpHealth, resetScalekit } from '@/lib/server/testing';

// This file runs its own IdP, so it can rotate keys and take the IdP down without disturbing
// the other test files.
let idp: LocalIdp;
let dataDir: string;
const SECRET_1 = 'fault-suite-cookie-secret-number-one-0123456789';
const SECRET_2 = 'fault-suite-cookie-secret-number-two-9876543210';

function pointAt(envUrl: string, secrets = SECRET_1) {
  process.env.SCALEKIT_ENV_URL = envUrl;
  process.env.SESSION_COOKIE_SECRET = secrets;
  resetConfig();
  resetScalekit();
  resetIdpHealth();
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'local-idp-faults-'));
  idp = await startLocalIdp({
    port: 0,
    dataDir,
    appUrl: appUrl(),
    clientId: process.env.SCALEKIT_CLIENT_ID,
    clientSecret: process.env.SCALEKIT_CLIENT_SECRET,
    persist: false,
    log: false,
  });
  pointAt(idp.url);
});

afterAll(async () => {
  await idp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const location = (response: Response) => new URL(response.headers.get('location')!);

describe('fault: the IdP is down', () => {
  const deadIdp = 'http://localhost:9'; // discard port: nothing listens

  it('during login: a readable "unavailable" page that keeps returnTo, nothing set', async () => {
    pointAt(deadIdp);
    try {
      const response = await loginGET(request('/login?returnTo=%2Fdashboard%3Ftab%3D2'));
      expect(response.status).toBe(303);
      expect(location(response).pathname).toBe('/auth/error');
      expect(location(response).searchParams.get('code')).toBe('idp_unavailable');
      expect(location(response).searchParams.get('returnTo')).toBe('/dashboard?tab=2');
      expect(response.headers.getSetCookie()).toEqual([]);
    } finally {
      pointAt(idp.url);
    }
  });

  it('during the code exchange: idp_unavailable, no session, the attempt is spent', async () => {
    const login = await loginGET(request('/login'));
    const [name, cookie] = stateCookieOf(login);
    const idpResult = await loginWithIdp(login.headers.get('location')!, {
      ...USERS.alice,
      stopAt: appUrl(),
    });
    idp.setFault('drop');
    try {
      const response = await callbackGET(
        request(idpResult.callbackUrl.pathname + idpResult.callbackUrl.search, {
          cookies: { [name]: cookie.value },
        }),
      );
      expect(location(response).searchParams.get('code')).toBe('idp_unavailable');
      expect(setCookies(response).sk_access_token).toBeUndefined();
    } finally {
      idp.setFault('none');
    }
  });

  it('during logout: signed out here, told the IdP session may live on, no browser error', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    pointAt(deadIdp);
    try {
      const response = await logoutPOST(
        request('/logout', { method: 'POST', cookies: session, headers: { origin: appUrl() } }),
      );
      expect(location(response).pathname).toBe('/auth/error');
      expect(location(response).searchParams.get('code')).toBe('logout_idp_unavailable');
      expect(setCookies(response).sk_access_token!.attributes['max-age']).toBe('0');
    } finally {
      pointAt(idp.url);
    }
  });

  it('during refresh (process stopped): 503, cookies untouched; back up: refresh succeeds', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const port = idp.port;
    await idp.close();
    try {
      const response = await refreshPOST(
        request('/api/refresh', { method: 'POST', cookies: session }),
      );
      expect(response.status).toBe(503);
      expect(response.headers.getSetCookie()).toEqual([]);
    } finally {
      idp = await startLocalIdp({
        port,
        dataDir,
        appUrl: appUrl(),
        clientId: process.env.SCALEKIT_CLIENT_ID,
        clientSecret: process.env.SCALEKIT_CLIENT_SECRET,
        persist: true,
        log: false,
      });
      pointAt(idp.url);
    }
    // The restarted IdP lost its in-memory grants (persist was off before the stop), so this
    // proves the app side only: the untouched cookies are still a valid session.
    expect((await sessionOf(session)).status).toBe('authenticated');
  });
});

describe('fault: signing-key rotation at the IdP', () => {
  it('existing sessions keep working, new sign-ins and refreshes use the new key', async () => {
    const before = await signInThroughRoutes(USERS.alice);
    const oldKid = idp.currentKid();
    const { kid: newKid, kids } = idp.rotateSigningKey();
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));

    // The session signed with the old key is still published and still valid.
    expect((await sessionOf(before.session)).status).toBe('authenticated');

    // Past the JWKS refetch cool-down, a token signed with the new key is picked up without a restart.
    await new Promise((r) => setTimeout(r, 2_100));
    const after = await signInThroughRoutes(USERS.alice);
    expect(after.callback.headers.get('location')).toBe(`${appUrl()}/dashboard`);
    expect((await sessionOf(after.session)).status).toBe('authenticated');

    const refreshed = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: before.session }),
    );
    expect(refreshed.status).toBe(200);
    const renewed = {
      ...before.session,
      sk_access_token: setCookies(refreshed).sk_access_token!.value,
    };
    expect((await sessionOf(renewed)).status).toBe('authenticated');
  });
});

describe('fault: cookie-secret rotation', () => {
  it('new secret first keeps old sessions; the next write seals with the new one', async () => {
    pointAt(idp.url, SECRET_1);
    const { session } = await signInThroughRoutes(USERS.alice);
    const oldKid = decodeProtectedHeader(session.sk_access_token).kid;

    pointAt(idp.url, `${SECRET_2},${SECRET_1}`);
    expect((await sessionOf(session)).status).toBe('authenticated');
    const refreshed = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: session }),
    );
    expect(refreshed.status).toBe(200);
    const newCookie = setCookies(refreshed).sk_access_token!.value;
    expect(decodeProtectedHeader(newCookie).kid).not.toBe(oldKid);

    // The old secret retired: cookies sealed with it are no session, cleanly.
    pointAt(idp.url, SECRET_2);
    expect((await sessionOf(session)).status).toBe('unauthenticated');
    expect((await sessionOf({ sk_access_token: newCookie })).status).toBe('authenticated');
    const stale = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: session }));
    expect(stale.status).toBe(401);
    pointAt(idp.url, SECRET_1);
  });
});

describe('session lifetimes', () => {
  it('a session idle past SESSION_IDLE_TIMEOUT is over, even within its absolute lifetime', async () => {
    process.env.SESSION_IDLE_TIMEOUT = '60';
    resetConfig();
    try {
      const { session } = await signInThroughRoutes(USERS.alice);
      expect((await sessionOf(session)).status).toBe('authenticated');
      vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ['Date'] });
      expect((await sessionOf(session)).status).toBe('unauthenticated');
      const response = await refreshPOST(
        request('/api/refresh', { method: 'POST', cookies: session }),
      );
      expect(response.status).toBe(401);
    } finally {
      vi.useRealTimers();
      delete process.env.SESSION_IDLE_TIMEOUT;
      resetConfig();
    }
  });

  it('a session past its absolute expiry is over, even if just refreshed', async () => {
    process.env.SESSION_MAX_AGE = '120';
    resetConfig();
    try {
      const { session } = await signInThroughRoutes(USERS.bob);
      vi.useFakeTimers({ now: Date.now() + 121_000, toFake: ['Date'] });
      expect((await sessionOf(session)).status).toBe('unauthenticated');
    } finally {
      vi.useRealTimers();
      delete process.env.SESSION_MAX_AGE;
      resetConfig();
    }
  });
});
