import { CookieJar } from '@/tests/helpers/idp-login';
import type { AppServer } from './app-server';
import { signInOverHttp } from '@/tests/helpers/http-session';

/**
 * Figure 3: a refresh storm. One session whose access token has expired, and STORM concurrent
 * navigations through GET /api/refresh?returnTo=/dashboard (what requireSession() sends every tab
 * to), all carrying the same refresh token. The IdP rotates refresh tokens and revokes the family
 * on reuse, so anything but one shared exchange logs the user out. Counted: token-endpoint calls
 * at the IdP (its /__control/stats), responses that renewed the session, responses that ended it.
 */
export const STORM = 50;

export type StormFigures = {
  requests: number;
  tokenEndpointCalls: number;
  successes: number;
  logouts: number;
  other: number;
  renewedSessionWorks: boolean;
  waitedForExpirySeconds: number;
};

export async function refreshStorm(
  app: AppServer,
  log: (line: string) => void,
): Promise<StormFigures> {
  const jar = await signInOverHttp(app.url);
  const dashboardUrl = `${app.url}/dashboard`;

  // Wait until the app itself calls the session expired: /dashboard sends it through refresh.
  const waitStart = Date.now();
  for (;;) {
    const res = await fetch(dashboardUrl, {
      redirect: 'manual',
      headers: { cookie: jar.header(dashboardUrl) ?? '' },
    });
    await res.body?.cancel();
    if (
      res.status >= 300 &&
      res.status < 400 &&
      (res.headers.get('location') ?? '').includes('/api/refresh')
    )
      break;
    if (res.status !== 200)
      throw new Error(`/dashboard answered ${res.status} while waiting for expiry`);
    if (Date.now() - waitStart > 60_000)
      throw new Error('the access token did not expire within 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  const waitedForExpirySeconds = (Date.now() - waitStart) / 1000;
  log(
    `refresh storm: session expired after ${waitedForExpirySeconds.toFixed(1)} s; firing ${STORM}`,
  );

  await fetch(`${app.idp.url}/__control/reset-stats`, { method: 'POST' });
  const refreshUrl = `${app.url}/api/refresh?returnTo=%2Fdashboard`;
  const cookie = jar.header(refreshUrl) ?? '';
  if (!cookie.includes('sk_refresh_token=')) throw new Error('no refresh cookie for /api/refresh');
  const responses = await Promise.all(
    Array.from({ length: STORM }, () =>
      fetch(refreshUrl, {
        redirect: 'manual',
        headers: { cookie, 'sec-fetch-site': 'same-origin' },
      }),
    ),
  );
  const stats = (await (await fetch(`${app.idp.url}/__control/stats`)).json()) as {
    tokenRequests: number;
  };

  let successes = 0;
  let logouts = 0;
  let renewed: string[] | undefined;
  for (const res of responses) {
    await res.body?.cancel();
    const setCookies = res.headers.getSetCookie();
    const access = setCookies.find((c) => c.startsWith('sk_access_token='));
    const location = res.headers.get('location') ?? '';
    const cleared = access !== undefined && /^sk_access_token=;/.test(access);
    if (cleared || location.includes('session_ended')) logouts++;
    else if (res.status >= 300 && res.status < 400 && location === dashboardUrl && access) {
      successes++;
      renewed ??= setCookies;
    }
  }

  // The renewed cookies must be a working session, not just a 3xx.
  let renewedSessionWorks = false;
  if (renewed) {
    const next = new CookieJar();
    next.store(refreshUrl, renewed);
    const res = await fetch(dashboardUrl, {
      redirect: 'manual',
      headers: { cookie: next.header(dashboardUrl) ?? '' },
    });
    renewedSessionWorks = res.status === 200 && (await res.text()).includes('alice@example.com');
  }

  return {
    requests: STORM,
    tokenEndpointCalls: stats.tokenRequests,
    successes,
    logouts,
    other: STORM - successes - logouts,
    renewedSessionWorks,
    waitedForExpirySeconds,
  };
}
