import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import {
  LOGIN_HINT_PARAMS,
  LOGIN_PROMPTS,
  SOCIAL_PROVIDERS,
  type LoginLinkOptions,
  safeReturnTo,
} from '@/lib/auth/paths';
import type { AppOrigin } from '@/lib/server/http';
import { getScalekit } from '@/lib/server/scalekit';
import type { LoginState } from './state-cookie';

/** Scopes for hosted login; offline_access is what makes the IdP return a refresh token. */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** Hints the hosted login page understands (lib/auth/paths.ts builds the links that carry them). */
export type LoginHints = Omit<LoginLinkOptions, 'returnTo'>;

/** What a well-formed value of each hint looks like; anything else in the query is dropped. */
export const HINT_PATTERNS: Record<keyof LoginHints, RegExp> = {
  loginHint: /^[^\s@<>"']{1,64}@[a-z0-9.-]{1,253}$/i,
  organizationId: /^org_[A-Za-z0-9]{1,64}$/,
  connectionId: /^conn_[A-Za-z0-9]{1,64}$/,
  provider: new RegExp(`^(${SOCIAL_PROVIDERS.join('|')})$`),
  domainHint: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i,
  // The prompt values Scalekit documents for Full Stack Auth. `consent` appears only in the SDK's
  // JSDoc and social-connection settings, so it is not passed through.
  prompt: new RegExp(`^(${LOGIN_PROMPTS.join('|')})$`),
};

// Security: only allowlisted hints with well-formed values reach the IdP, so a crafted sign-in
// link cannot smuggle arbitrary parameters into the authorization request.
export function parseLoginHints(params: URLSearchParams): LoginHints {
  const hints: Record<string, string> = {};
  for (const [key, pattern] of Object.entries(HINT_PATTERNS) as [keyof LoginHints, RegExp][]) {
    const value = params.get(LOGIN_HINT_PARAMS[key]);
    if (value && pattern.test(value)) hints[key] = value;
  }
  return hints as LoginHints;
}

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');
const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Builds the hosted-login URL and the attempt's state, which the login route seals into its
 * cookie (./state-cookie.ts) until the callback.
 */
export function startLogin(
  app: AppOrigin,
  input: { returnTo?: string | null; hints?: LoginHints },
) {
  const state: LoginState = {
    st: random(),
    cv: random(),
    nonce: random(),
    returnTo: safeReturnTo(input.returnTo),
    ru: app.callbackUrl,
  };
  const codeChallenge = sha256(state.cv).toString('base64url');
  const url = getScalekit().getAuthorizationUrl(state.ru, {
    scopes: SCOPES,
    state: state.st,
    nonce: state.nonce,
    codeChallenge,
    codeChallengeMethod: 'S256',
    ...input.hints,
  });
  return { url, state };
}
