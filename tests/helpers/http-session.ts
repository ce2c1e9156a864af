import { CookieJar, loginWithIdp } from './idp-login';
import { USERS } from './users';

/**
 * Signs in to the running app over HTTP the way a browser does (/login → hosted login at the
 * local IdP → /api/callback) and returns the browser's cookie jar for the app. `callbackOrigin`
 * is where the IdP sends the browser back (APP_URL), when that is not the instance signed in at.
 */
export async function signInOverHttp(
  appUrl: string,
  user = USERS.alice,
  { callbackOrigin = appUrl }: { callbackOrigin?: string } = {},
): Promise<CookieJar> {
  const jar = new CookieJar();
  const loginUrl = `${appUrl}/login?returnTo=%2Fdashboard`;
  const login = await fetch(loginUrl, {
    redirect: 'manual',
    headers: { 'sec-fetch-site': 'none' },
  });
  jar.store(loginUrl, login.headers.getSetCookie());
  const location = login.headers.get('location');
  if (!location) throw new Error(`/login answered ${login.status} without a redirect`);
  const idp = await loginWithIdp(location, { ...user, stopAt: callbackOrigin });
  const callback = await fetch(idp.callbackUrl, {
    redirect: 'manual',
    headers: { cookie: jar.header(idp.callbackUrl) ?? '', 'sec-fetch-site': 'cross-site' },
  });
  jar.store(idp.callbackUrl, callback.headers.getSetCookie());
  if (!jar.names(appUrl).includes('sk_access_token')) {
    throw new Error(`sign-in did not set a session (callback answered ${callback.status})`);
  }
  return jar;
}
