// The whole flow, with the real @scalekit-sdk/node over real HTTP, against the local IdP in every
// variant Scalekit's docs leave open (local-idp/README.md "Variants"): sign-in through /login and
// /api/callback, the session check, a refresh, /api/access-token, sign-out at the IdP, and a copy
// of the refresh cookie refused after sign-out. Each variant gets its own IdP process-in-test.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as accessTokenGET } from '@/app/api/access-token/route';
import { GET as callbackGET } from '@/app/api/callback/route';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { GET as loginGET } from '@/app/login/route';
import { POST as logoutPOST } from '@/app/logout/route';
import type { LocalIdp, LocalIdpOptions } from '../../local-idp/server.mjs';
import { expectNo5xx, sessionOf, type Jar } from '../hostile/helpers';
import { CookieJar, loginWithIdp, visitIdp } from '../helpers/idp-login';
import { forgetConfig, pointAppAt, startOwnIdp } from '../helpers/own-idp';
import { appUrl, request, setCookies, stateCookieOf, USERS } from '../helpers/routes';

const CLIENT = { clientId: 'skc_variants_client', clientSecret: 'variants_client_secret_not_real' };
const API_AUDIENCE = 'https://api.variants.example';

type Variant = {
  name: string;
  idp: Partial<LocalIdpOptions>;
  env?: Record<string, string>;
  /** Modular SSO: no refresh token, `conn_…;…` subjects, no oid/sid in the access token. */
  modular?: boolean;
};

const VARIANTS: Variant[] = [
  { name: 'documented default (aud array, no nonce, env URL issuer)', idp: {} },
  { name: 'nonce echoed', idp: { nonce: 'echo' } },
  { name: 'aud as a string', idp: { audience: 'string' } },
  { name: 'custom auth domain issuer', idp: { issuer: 'https://auth.custom-domain.test' } },
  {
    name: 'nonce echoed + aud string + custom issuer',
    idp: { nonce: 'echo', audience: 'string', issuer: 'https://login.other-domain.test' },
  },
  {
    name: 'access tokens for an API audience',
    idp: { accessTokenAudience: API_AUDIENCE },
    env: { SCALEKIT_ACCESS_TOKEN_AUDIENCE: API_AUDIENCE },
  },
  { name: 'Modular SSO', idp: { product: 'modular' }, modular: true },
];

const savedEnv = { ...process.env };

/** The cookies a browser would now send to `/` (path-/ cookies) or `/api/refresh`. */
function merge(jar: Jar, response: Response): Jar {
  const next = { ...jar };
  for (const [name, c] of Object.entries(setCookies(response))) {
    if (c.value === '' || c.attributes['max-age'] === '0') delete next[name];
    else next[name] = c.value;
  }
  return next;
}

async function signIn(idpJar: CookieJar, user = USERS.alice, query = '') {
  const login = await loginGET(request(`/login?returnTo=%2Fdashboard${query}`));
  expect(login.status).toBe(307);
  const [stateName, state] = stateCookieOf(login);
  const atIdp = await loginWithIdp(login.headers.get('location')!, {
    ...user,
    jar: idpJar,
    stopAt: appUrl(),
  });
  const callback = await callbackGET(
    request(atIdp.callbackUrl.pathname + atIdp.callbackUrl.search, {
      cookies: { [stateName]: state.value },
    }),
  );
  return { login, atIdp, callback, jar: merge({}, callback) };
}

describe.each(VARIANTS)('local IdP variant: $name', (variant) => {
  let idp: LocalIdp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ idp, close } = await startOwnIdp('variant', { ...CLIENT, ...variant.idp }));
    pointAppAt(idp, variant.env);
  });

  afterAll(async () => {
    process.env = { ...savedEnv };
    forgetConfig();
    await close?.();
  });

  it('plays the variant it was asked for', async () => {
    const idpJar = new CookieJar();
    const { atIdp } = await signIn(idpJar);
    // The raw tokens, straight from the IdP's token endpoint through the SDK's own exchange,
    // are checked in tests/local-idp-contract.test.ts; here the variant's visible marks:
    const discovery = (await (
      await fetch(`${idp.url}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    expect(discovery.issuer).toBe(variant.idp.issuer ?? idp.url);
    expect(atIdp.code).toBeTruthy();
  });

  it('signs in, checks the session, refreshes, hands out the access token and signs out', async () => {
    const idpJar = new CookieJar();
    const { callback, jar } = await signIn(idpJar);
    expectNo5xx(callback);
    expect(callback.headers.get('location')).toBe(`${appUrl()}/dashboard`);

    // The session check sees the user, keyed on the access token's subject.
    const session = await sessionOf(jar);
    expect(session.status).toBe('authenticated');
    if (session.status !== 'authenticated') return;
    expect(session.user.email).toBe(USERS.alice.email);
    if (variant.modular) {
      expect(session.user.id).toMatch(/^conn_[^;]+;.+/);
      expect(session.user.organizationId).toBeUndefined();
    } else {
      expect(session.user.id).toMatch(/^usr_/);
      expect(session.user.organizationId).toMatch(/^org_/);
      expect(session.user.roles).toContain('admin');
    }

    // The access token for a separate backend: the IdP's own token, in the variant's shape.
    const tokenResponse = await accessTokenGET(request('/api/access-token', { cookies: jar }));
    expect(tokenResponse.status).toBe(200);
    const { accessToken } = (await tokenResponse.json()) as { accessToken: string };
    const claims = decodeJwt(accessToken);
    expect(claims.iss).toBe(variant.idp.issuer ?? idp.url);
    expect(claims.sub).toBe(session.user.id);
    if (variant.idp.accessTokenAudience) {
      expect(claims.aud).toEqual([variant.idp.accessTokenAudience]);
    } else if (variant.idp.audience === 'string') {
      expect(claims.aud).toBe(CLIENT.clientId);
    } else {
      expect(claims.aud).toEqual([CLIENT.clientId]);
    }

    // Refresh: a rotated session where the IdP gave a refresh token; a clean end where not.
    const refresh = await refreshPOST(request('/api/refresh', { method: 'POST', cookies: jar }));
    expectNo5xx(refresh);
    let current = jar;
    if (variant.modular) {
      expect(jar.sk_refresh_token).toBeUndefined();
      expect(refresh.status).toBe(401);
      expect(await refresh.json()).toMatchObject({ error: 'session_ended' });
    } else {
      expect(refresh.status).toBe(200);
      current = merge(jar, refresh);
      expect(current.sk_access_token).not.toBe(jar.sk_access_token);
      expect(current.sk_refresh_token).not.toBe(jar.sk_refresh_token);
      const renewed = await sessionOf(current);
      expect(renewed.status === 'authenticated' && renewed.user.id).toBe(session.user.id);
    }

    // Sign-out: the IdP's logout ends its session and sends the browser back to the app.
    const logout = await logoutPOST(
      request('/logout', { method: 'POST', cookies: current, headers: { origin: appUrl() } }),
    );
    const logoutUrl = new URL(logout.headers.get('location')!);
    expect(logoutUrl.origin + logoutUrl.pathname).toBe(`${idp.url}/oidc/logout`);
    expect(logoutUrl.searchParams.get('id_token_hint')).toBeTruthy();
    const back = await visitIdp(logoutUrl.href, { jar: idpJar, stopAt: appUrl() });
    expect(back.outcome).toBe('redirected');
    expect(back.url.origin).toBe(appUrl());
    // The IdP session is over: the next sign-in asks for the password again.
    const again = await loginGET(request('/login'));
    const nextVisit = await visitIdp(again.headers.get('location')!, { jar: idpJar });
    expect(nextVisit.outcome).toBe('login-form');

    // A copy of the refresh cookie taken before sign-out is refused by the app.
    if (!variant.modular) {
      const copied = await refreshPOST(
        request('/api/refresh', { method: 'POST', cookies: current }),
      );
      expect(copied.status).toBe(401);
    }
  });

  // Modular SSO has no organizations in its tokens; the chooser is a Full Stack Auth page.
  if (!variant.modular)
    it('a user in two organizations picks one, and "Switch organization" picks the other', async () => {
      const acme = 'org_01HACME00000000000000001';
      const globex = 'org_01HGLOBEX000000000000001';
      const idpJar = new CookieJar();

      // No organization_id sent: the hosted page asks which organization, and the user picks.
      async function signInPicking(organizationId: string, query = '') {
        const login = await loginGET(request(`/login?returnTo=%2Fdashboard${query}`));
        const [stateName, state] = stateCookieOf(login);
        const atIdp = await loginWithIdp(login.headers.get('location')!, {
          ...USERS.erin,
          jar: idpJar,
          organizationId,
          stopAt: appUrl(),
        });
        const callback = await callbackGET(
          request(atIdp.callbackUrl.pathname + atIdp.callbackUrl.search, {
            cookies: { [stateName]: state.value },
          }),
        );
        return { atIdp, session: await sessionOf(merge({}, callback)) };
      }

      const first = await signInPicking(acme);
      expect(first.atIdp.orgPage).toBeDefined();
      expect(first.session.status === 'authenticated' && first.session.user).toMatchObject({
        organizationId: acme,
        roles: ['member'],
      });

      // The UserButton's "Switch organization" link: prompt=select_account with the IdP session
      // still alive, so no password, only the organization chooser.
      const switched = await signInPicking(globex, '&prompt=select_account');
      expect(switched.atIdp.loginFormShown).toBe(false);
      expect(switched.atIdp.orgPage).toBeDefined();
      expect(switched.session.status === 'authenticated' && switched.session.user).toMatchObject({
        organizationId: globex,
        roles: ['admin'],
      });
    });
});
