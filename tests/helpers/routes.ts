import { NextRequest } from 'next/server';
import { inject } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as loginGET } from '@/app/login/route';
import { loginWithIdp } from './idp-login';
import { USERS } from './users';

export const appUrl = () => inject('localIdp').appUrl;
export const idpUrl = () => inject('localIdp').url;

export type ParsedCookie = { value: string; attributes: Record<string, string | true> };

/** Set-Cookie headers of a response, by cookie name. */
export function setCookies(response: Response): Record<string, ParsedCookie> {
  const out: Record<string, ParsedCookie> = {};
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attrs] = header.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      if (i === -1) attributes[attr.toLowerCase()] = true;
      else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
    }
    out[pair!.slice(0, eq)] = { value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
  }
  return out;
}

type RequestInit = {
  method?: string;
  cookies?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
};

/** A request as a same-origin browser navigation would send it, unless headers say otherwise. */
export function request(
  pathOrUrl: string,
  { method = 'GET', cookies = {}, headers = {}, body }: RequestInit = {},
) {
  const url = new URL(pathOrUrl, appUrl());
  const cookieHeader = Object.entries(cookies)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('; ');
  return new NextRequest(url, {
    method,
    headers: {
      'sec-fetch-site': 'same-origin',
      ...(cookieHeader ? { cookie: cookieHeader } : {}),
      ...headers,
    },
    body,
  });
}

/** The per-attempt state cookie a /login response set (`__Secure-` prefixed over https). */
export function stateCookieOf(response: Response): [string, ParsedCookie] {
  const entry = Object.entries(setCookies(response)).find(
    ([name, c]) => /^(__Secure-)?sk_oauth_state_/.test(name) && c.value !== '',
  );
  if (!entry) throw new Error('no state cookie set');
  return entry;
}

export { USERS };

/** Runs /login → hosted login → /api/callback through the real route handlers and IdP. */
export async function signInThroughRoutes(user = USERS.alice, returnTo = '/dashboard') {
  const login = await loginGET(request(`/login?returnTo=${encodeURIComponent(returnTo)}`));
  const [stateCookieName, stateCookie] = stateCookieOf(login);
  const idp = await loginWithIdp(login.headers.get('location')!, { ...user, stopAt: appUrl() });
  const callbackRequest = () =>
    request(idp.callbackUrl.pathname + idp.callbackUrl.search, {
      cookies: { [stateCookieName]: stateCookie.value },
    });
  const callback = await callbackGET(callbackRequest());
  const cookies = setCookies(callback);
  return {
    login,
    callback,
    callbackRequest,
    stateCookieName,
    stateCookie: stateCookie.value,
    code: idp.code,
    cookies,
    session: {
      sk_access_token: cookies.sk_access_token?.value ?? '',
      sk_id_token: cookies.sk_id_token?.value ?? '',
      sk_refresh_token: cookies.sk_refresh_token?.value ?? '',
    },
  };
}

/** Local IdP fault injection on the token endpoint, through its loopback-only control API. */
export async function setIdpFault(token: 'none' | '503' | 'hang' | 'drop') {
  const response = await fetch(`${idpUrl()}/__control/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw new Error(`fault control answered ${response.status}`);
}
