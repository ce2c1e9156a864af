import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAUTH_STATE_COOKIE } from './cookie-names';
import { nowSeconds, seal, unseal } from './cookies';
import { getConfig } from './config';
import { safeReturnTo } from './redirects';
import { getScalekit } from './scalekit';

/** Scopes for hosted login; offline_access is what makes the IdP return a refresh token. */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'];
/** A sign-in attempt must come back within this many seconds. */
export const LOGIN_STATE_TTL_SECONDS = 10 * 60;

/** What the login route remembers, sealed, until the callback. */
export type LoginState = {
  /** OAuth `state`: ties the callback to this browser. */
  st: string;
  /** PKCE code verifier. */
  cv: string;
  nonce: string;
  returnTo: string;
};

/** Hints the hosted login page understands; anything else in the query is dropped. */
export type LoginHints = {
  loginHint?: string;
  organizationId?: string;
  connectionId?: string;
  provider?: string;
  domainHint?: string;
  prompt?: 'create' | 'login';
};

const HINT_RULES: Record<keyof LoginHints, { param: string; pattern: RegExp }> = {
  loginHint: { param: 'login_hint', pattern: /^[^\s@<>"']{1,64}@[a-z0-9.-]{1,253}$/i },
  organizationId: { param: 'organization_id', pattern: /^org_[A-Za-z0-9]{1,64}$/ },
  connectionId: { param: 'connection_id', pattern: /^conn_[A-Za-z0-9]{1,64}$/ },
  provider: {
    param: 'provider',
    pattern: /^(google|github|microsoft|gitlab|linkedin|salesforce)$/,
  },
  domainHint: { param: 'domain_hint', pattern: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i },
  prompt: { param: 'prompt', pattern: /^(create|login)$/ },
};

// Security: only allowlisted hints with well-formed values reach the IdP, so a crafted sign-in
// link cannot smuggle arbitrary parameters into the authorization request.
export function parseLoginHints(params: URLSearchParams): LoginHints {
  const hints: Record<string, string> = {};
  for (const [key, { param, pattern }] of Object.entries(HINT_RULES)) {
    const value = params.get(param);
    if (value && pattern.test(value)) hints[key] = value;
  }
  return hints as LoginHints;
}

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Builds the hosted-login URL and the sealed state cookie value that goes with it. */
export async function startLogin(input: { returnTo?: string | null; hints?: LoginHints }) {
  const state: LoginState = {
    st: random(),
    cv: random(),
    nonce: random(),
    returnTo: safeReturnTo(input.returnTo),
  };
  const codeChallenge = createHash('sha256').update(state.cv).digest('base64url');
  const url = getScalekit().getAuthorizationUrl(getConfig().callbackUrl, {
    scopes: SCOPES,
    state: state.st,
    nonce: state.nonce,
    codeChallenge,
    codeChallengeMethod: 'S256',
    ...input.hints,
  });
  const cookie = await seal(OAUTH_STATE_COOKIE, state, {
    expiresAt: nowSeconds() + LOGIN_STATE_TTL_SECONDS,
  });
  return { url, cookie };
}

export async function openLoginState(value: string | undefined): Promise<LoginState | null> {
  const payload = await unseal<LoginState>(OAUTH_STATE_COOKIE, value);
  if (
    !payload ||
    typeof payload.st !== 'string' ||
    typeof payload.cv !== 'string' ||
    typeof payload.nonce !== 'string'
  ) {
    return null;
  }
  return {
    st: payload.st,
    cv: payload.cv,
    nonce: payload.nonce,
    returnTo: safeReturnTo(payload.returnTo),
  };
}

/** Constant-time comparison, so response timing says nothing about how much of a guess matched. */
export function statesMatch(expected: string, received: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(received).digest();
  return timingSafeEqual(a, b) && expected.length === received.length;
}
