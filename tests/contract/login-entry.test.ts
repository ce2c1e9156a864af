import { describe, expect, it } from 'vitest';
import { GET as callbackGET } from '@/app/api/callback/route';
import { GET as loginGET } from '@/app/login/route';
import { authMessage, isKnownAuthCode } from '@/lib/auth/outcomes';
import { authErrorForIdpError } from '@/lib/server/callback/complete';
import { parseLoginHints } from '@/lib/server/login/start';
import { loginHref } from '@/lib/auth/paths';
import { appUrl, idpUrl, request, stateCookieOf } from '../helpers/routes';

const location = (response: Response) => new URL(response.headers.get('location')!);

describe('callback error= → a readable notice, never back into /login', () => {
  const documented: [string, string][] = [
    ['access_denied', 'access_denied'],
    ['login_required', 'login_required'],
    ['user_login_required', 'login_required'],
    ['consent_required', 'consent_required'],
    ['interaction_required', 'interaction_required'],
    ['invalid_request', 'idp_request_invalid'],
    ['invalid_redirect_uri', 'idp_request_invalid'],
    ['invalid_client', 'idp_request_invalid'],
    ['server_error', 'idp_server_error'],
    ['temporarily_unavailable', 'idp_server_error'],
    ['user_not_active', 'user_not_active'],
    ['application_not_active', 'application_not_active'],
    ['authentication_not_completed', 'authentication_not_completed'],
    ['invalid_organization_id', 'sso_connection_invalid'],
    ['invalid_connection_id', 'sso_connection_invalid'],
    ['invalid_connection_selector', 'sso_connection_invalid'],
    // Undocumented or hostile codes: the generic notice.
    ['saml_assertion_invalid', 'idp_error'],
    ['__proto__', 'idp_error'],
    ['constructor', 'idp_error'],
    ['<script>alert(1)</script>', 'idp_error'],
  ];

  it.each(documented)('error=%s → /auth/error?code=%s', async (error, code) => {
    // A state cookie from a real /login, so the error is not masked by "state missing".
    const login = await loginGET(request('/login'));
    const [name, cookie] = stateCookieOf(login);
    const state = location(login).searchParams.get('state')!;
    const description = '<img src=x onerror=alert(1)>\r\nCall +1-555-0100 for help';
    const response = await callbackGET(
      request(
        `/api/callback?error=${encodeURIComponent(error)}&error_description=${encodeURIComponent(description)}&state=${state}`,
        { cookies: { [name]: cookie.value } },
      ),
    );
    expect(response.status).toBe(303);
    const target = location(response);
    expect(target.origin).toBe(appUrl());
    expect(target.pathname).toBe('/auth/error');
    expect([...target.searchParams]).toEqual([['code', code]]);
    // The page has its own words for it; the IdP's (or an attacker's) description goes nowhere.
    expect(isKnownAuthCode(code)).toBe(true);
    expect(response.headers.get('location')).not.toMatch(/img|555|onerror/);
    // The attempt is over: its state cookie is deleted.
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${name}=;`))).toBe(true);
  });

  it('every code the mapping can produce has its own message, distinct from the generic one', () => {
    const generic = authMessage('idp_error');
    for (const [error] of documented.slice(0, 16)) {
      const code = authErrorForIdpError(error);
      expect(isKnownAuthCode(code)).toBe(true);
      expect(authMessage(code)).not.toEqual(generic);
    }
  });
});

describe('prompt: the documented values pass through, others are dropped', () => {
  it.each(['login', 'create', 'select_account', 'none'])(
    '/login?prompt=%s → prompt=%s at the IdP',
    async (prompt) => {
      const response = await loginGET(request(`/login?prompt=${prompt}&returnTo=%2Fdashboard`));
      expect(response.status).toBe(307);
      expect(location(response).origin).toBe(idpUrl());
      expect(location(response).searchParams.getAll('prompt')).toEqual([prompt]);
    },
  );

  it.each(['consent', 'login consent', 'select_account none', 'SELECT_ACCOUNT', ' none', 'none\n'])(
    '/login?prompt=%j → no prompt at all',
    async (prompt) => {
      const response = await loginGET(request(`/login?prompt=${encodeURIComponent(prompt)}`));
      expect(response.status).toBe(307);
      expect(location(response).searchParams.get('prompt')).toBeNull();
    },
  );

  it('loginHref builds the UserButton’s "Switch organization" link, and the route keeps it', () => {
    const href = loginHref({ prompt: 'select_account', returnTo: '/projects/42' });
    expect(href).toBe('/login?returnTo=%2Fprojects%2F42&prompt=select_account');
    expect(parseLoginHints(new URL(href, appUrl()).searchParams)).toEqual({
      prompt: 'select_account',
    });
  });
});

describe('Initiate Login URL: unnamed parameters Scalekit appends are forwarded, protocol ones never', () => {
  it('forwards opaque parameters (invitation, verification) unchanged, SDK encoding intact', async () => {
    const response = await loginGET(
      request('/login?invitation_id=inv_123&verification=a%20b%2Bc&returnTo=%2Fteam'),
    );
    expect(response.status).toBe(307);
    const raw = response.headers.get('location')!;
    const target = new URL(raw);
    expect(target.searchParams.get('invitation_id')).toBe('inv_123');
    expect(target.searchParams.get('verification')).toBe('a b+c');
    expect(target.searchParams.get('returnTo')).toBeNull();
    // The SDK's RFC 3986 encoding of the scope is left as it was.
    expect(raw).toContain('scope=openid%20profile%20email%20offline_access');
  });

  const smuggled = [
    'client_id',
    'redirect_uri',
    'Redirect_URI',
    'REDIRECT_URI',
    'response_type',
    'response_mode',
    'scope',
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'code_verifier',
    'request',
    'request_uri',
    'claims',
    'id_token_hint',
    'registration',
    'max_age',
    'acr_values',
    'client_assertion',
    'client_secret',
    'resource',
    'login_hint',
    'organization_id',
    'connection_id',
    'domain',
    'domain_hint',
    'provider',
    'prompt',
  ];

  it.each(smuggled)('%s cannot be smuggled into the authorization request', async (name) => {
    const evil = 'https://evil.example/x';
    const response = await loginGET(
      request(`/login?${encodeURIComponent(name)}=${encodeURIComponent(evil)}`),
    );
    expect(response.status).toBe(307);
    const raw = response.headers.get('location')!;
    expect(raw).not.toContain('evil');
    const params = new URL(raw).searchParams;
    // No name appears twice, in any letter case, so no server can pick the attacker's copy.
    const names = [...params.keys()].map((k) => k.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(params.getAll('redirect_uri')).toEqual([`${appUrl()}/api/callback`]);
    expect(params.getAll('response_type')).toEqual(['code']);
    expect(params.getAll('code_challenge_method')).toEqual(['S256']);
  });

  it('refuses control characters, oversized values, odd names, and caps the count', async () => {
    const many = Array.from({ length: 20 }, (_, i) => `p${i}=v${i}`).join('&');
    const response = await loginGET(
      request(
        `/login?bad=a%0Db&long=${'x'.repeat(2000)}&${encodeURIComponent('a b')}=1&${encodeURIComponent('redirect_uri ')}=z&${many}`,
      ),
    );
    const params = new URL(response.headers.get('location')!).searchParams;
    expect(params.get('bad')).toBeNull();
    expect(params.get('long')).toBeNull();
    expect(params.get('a b')).toBeNull();
    expect(params.get('redirect_uri ')).toBeNull();
    const forwarded = [...params.keys()].filter((k) => /^p\d+$/.test(k));
    expect(forwarded).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
  });

  it('a callback-shaped request at /login starts a login (it never lands on the IdP with our error)', async () => {
    const response = await loginGET(
      request('/login?error=access_denied&error_description=x&code=abc'),
    );
    const params = new URL(response.headers.get('location')!).searchParams;
    expect(params.get('error')).toBeNull();
    expect(params.get('code')).toBeNull();
    expect(params.get('error_description')).toBeNull();
  });
});
