import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { POST as logoutPOST } from '@/app/logout/route';
import type { WireEvent } from '@/lib/server/analytics/events';
import { authorizeRequest } from '@/lib/server/authz';
import { getConfig } from '@/lib/server/config';
import {
  openAccessCookie,
  openRefreshCookie,
  sessionFromCookie,
} from '@/lib/server/session/session';
import { clearSessionMemo, resetConfig, resetScalekit } from '@/lib/server/testing';
import { captureAnalytics } from './helpers/analytics';
import { freePort } from './helpers/ports';
import { request, signInThroughRoutes, USERS } from './helpers/routes';

/**
 * The flow reports its own lifecycle (lib/server/analytics/events.ts AuthEvents), with the user
 * from the verified session and codes for properties: never a token, a cookie or a secret.
 */

let capture: Awaited<ReturnType<typeof captureAnalytics>>;
beforeEach(async () => (capture = await captureAnalytics()));
afterEach(async () => {
  await capture.stop();
  clearSessionMemo();
});

const named = (events: WireEvent[], name: string) => events.filter((e) => e.name === name);

async function userIdOf(accessCookie: string) {
  const session = await sessionFromCookie(accessCookie);
  if (session.status !== 'authenticated') throw new Error('no session');
  return session.user;
}

describe('lifecycle events', () => {
  it('a sign-in, a refresh and a sign-out, each with the user; then the copied refresh cookie ends nothing but says so', async () => {
    const { session, cookies } = await signInThroughRoutes(USERS.alice);
    const user = await userIdOf(session.sk_access_token);

    const refreshed = await refreshPOST(
      request('/api/refresh', { method: 'POST', cookies: session }),
    );
    expect(refreshed.status).toBe(200);
    const logout = await logoutPOST(
      request('/logout', {
        method: 'POST',
        cookies: { sk_access_token: session.sk_access_token, sk_id_token: session.sk_id_token },
      }),
    );
    expect(logout.status).toBe(303);
    const ended = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        cookies: { sk_refresh_token: session.sk_refresh_token },
      }),
    );
    expect(ended.status).toBe(401);

    const events = await capture.events();
    expect(events.map((e) => e.name)).toEqual([
      'signed_in',
      'session_refreshed',
      'signed_out',
      'session_ended',
    ]);
    expect(named(events, 'signed_in')[0]).toMatchObject({
      userId: user.id,
      source: 'server',
      props: { method: 'conn_01HACMEOKTA0000000000001', organization: user.organizationId },
    });
    expect(named(events, 'session_refreshed')[0]!.userId).toBe(user.id);
    expect(named(events, 'signed_out')[0]!.userId).toBe(user.id);
    expect(named(events, 'session_ended')[0]).toMatchObject({
      userId: null,
      props: { reason: 'refresh_token_invalid' },
    });

    // Security: nothing secret in any of it: no token, no sealed cookie, no client or cookie secret.
    const raw = capture.raw();
    const access = await openAccessCookie(session.sk_access_token);
    const refresh = await openRefreshCookie(session.sk_refresh_token);
    const secrets = [
      ...Object.values(cookies).map((c) => c.value),
      access!.at,
      refresh!.rt,
      getConfig().scalekit.clientSecret,
      ...getConfig().cookieSecrets,
    ].filter((s) => s && s.length > 8);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });

  it('a failed sign-in carries its code and no user', async () => {
    const response = await callbackGET(request('/api/callback?code=abc&state=def'));
    expect(response.status).toBe(303);
    const events = await capture.events();
    expect(events).toEqual([
      expect.objectContaining({
        name: 'sign_in_failed',
        userId: null,
        props: { code: 'state_missing' },
      }),
    ]);
    expect(capture.raw()).not.toContain('abc');
  });

  it('the IdP down during a refresh: idp_unavailable, and the session is not called ended', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const user = await userIdOf(session.sk_access_token);
    const saved = process.env.SCALEKIT_ENV_URL;
    process.env.SCALEKIT_ENV_URL = `http://127.0.0.1:${await freePort()}`;
    resetConfig();
    resetScalekit();
    try {
      const response = await refreshPOST(
        request('/api/refresh', { method: 'POST', cookies: session }),
      );
      expect(response.status).toBe(503);
    } finally {
      process.env.SCALEKIT_ENV_URL = saved;
      resetConfig();
      resetScalekit();
    }
    const events = await capture.events();
    expect(named(events, 'session_ended')).toEqual([]);
    expect(named(events, 'idp_unavailable')).toEqual([
      expect.objectContaining({
        name: 'idp_unavailable',
        userId: user.id,
        props: { stage: 'refresh' },
      }),
    ]);
  });

  it('a refused grant: permission_denied with the user and what was missing', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const user = await userIdOf(session.sk_access_token);
    const auth = await authorizeRequest(
      request('/api/anything', { cookies: { sk_access_token: session.sk_access_token } }),
      { permission: 'members:invite' },
    );
    expect(auth.ok).toBe(false);
    const denied = named(await capture.events(), 'permission_denied');
    expect(denied).toEqual([
      expect.objectContaining({ userId: user.id, props: { permission: 'members:invite' } }),
    ]);
  });
});
