import { decodeJwt } from 'jose';
import { POST as revokeAllPOST } from '@/app/account/sessions/revoke-all/route';
import { POST as revokePOST } from '@/app/account/sessions/revoke/route';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { openAccessCookie } from '@/lib/server/session/session';
import { request, signInThroughRoutes, USERS } from './routes';

export const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export const USER_IDS = {
  alice: 'usr_01HALICE0000000000000001',
  bob: 'usr_01HBOB000000000000000002',
};

export type Device = Awaited<ReturnType<typeof signInDevice>>;

/** One browser signing in through the real routes, with its own User-Agent. */
export async function signInDevice(user = USERS.alice, userAgent = CHROME_MAC) {
  const { session } = await signInThroughRoutes({ ...user, userAgent } as typeof user);
  const opened = await openAccessCookie(session.sk_access_token);
  const sid = decodeJwt(opened!.at).sid as string;
  return { cookies: session, sid };
}

/** The cookies a browser sends to a path-/ route (never the refresh cookie). */
export const pageCookies = (device: Device) => ({
  sk_access_token: device.cookies.sk_access_token,
  sk_id_token: device.cookies.sk_id_token,
});

/** The account page's "Revoke" form, as the browser posts it. */
export function postRevoke(
  device: Device,
  sessionId: string,
  headers: Record<string, string> = {},
) {
  return revokePOST(
    request('/account/sessions/revoke', {
      method: 'POST',
      cookies: pageCookies(device),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ session_id: sessionId }).toString(),
    }),
  );
}

/** The account page's "Sign out everywhere" form. */
export function postSignOutEverywhere(device: Device, headers: Record<string, string> = {}) {
  return revokeAllPOST(
    request('/account/sessions/revoke-all', {
      method: 'POST',
      cookies: pageCookies(device),
      headers,
    }),
  );
}

/** A refresh with the device's (possibly copied) refresh cookie. */
export function refreshWith(device: Device) {
  return refreshPOST(
    request('/api/refresh', {
      method: 'POST',
      cookies: { sk_refresh_token: device.cookies.sk_refresh_token },
    }),
  );
}
