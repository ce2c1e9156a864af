import 'server-only';
import { AuthError, isAuthError, type AuthCode } from '@/lib/auth/outcomes';
import { authEvent } from '@/lib/server/analytics/analytics';
import { getConfig } from '@/lib/server/config';
import { nowSeconds } from '@/lib/server/cookies';
import type { AppOrigin } from '@/lib/server/http';
import { openLoginState, statesMatch } from '@/lib/server/login/state-cookie';
import { classifyIdpError, getScalekit } from '@/lib/server/scalekit';
import { newSessionId, profileFromIdToken, type UserProfile } from '@/lib/server/session/session';
import { verifyAccessToken, verifyIdToken } from '@/lib/server/tokens';

export type CompletedLogin = {
  returnTo: string;
  tokens: { accessToken: string; refreshToken?: string; idToken: string };
  profile: UserProfile;
  sessionExpiresAt: number;
  /** The app's id for this session (lib/server/session/session.ts). */
  sid: string;
};

/**
 * The callback stage: checks the state, exchanges the code (with the PKCE verifier) and verifies
 * both tokens. Throws an AuthError with a code for every way it can fail; nothing is written
 * until everything has passed.
 */
export async function completeLogin(
  app: AppOrigin,
  params: URLSearchParams,
  stateCookie: string | undefined,
): Promise<CompletedLogin> {
  try {
    return await verifyCallback(app, params, stateCookie);
  } catch (error) {
    const code = isAuthError(error) ? error.code : 'code_exchange_failed';
    authEvent(null, 'sign_in_failed', { code });
    if (code === 'idp_unavailable') authEvent(null, 'idp_unavailable', { stage: 'sign_in' });
    throw error;
  }
}

async function verifyCallback(
  app: AppOrigin,
  params: URLSearchParams,
  stateCookie: string | undefined,
): Promise<CompletedLogin> {
  const login = await openLoginState(stateCookie);

  // The IdP's `error` picks one of our messages; its error_description never reaches the user.
  const idpError = params.get('error');
  if (idpError) throw new AuthError(authErrorForIdpError(idpError));
  if (!login) throw new AuthError('state_missing');

  const code = params.get('code');
  const state = params.get('state');
  if (!code || !state) throw new AuthError('callback_invalid');
  // Security: the state proves this callback answers the login this browser started (CSRF).
  if (!statesMatch(login.st, state)) throw new AuthError('state_mismatch');
  // The attempt was started on another origin (say, a different preview host).
  if (login.ru !== app.callbackUrl) throw new AuthError('state_mismatch');

  let result;
  try {
    result = await getScalekit().authenticateWithCode(code, login.ru, {
      codeVerifier: login.cv,
    });
  } catch (error) {
    throw new AuthError(
      classifyIdpError(error) === 'unavailable' ? 'idp_unavailable' : 'code_exchange_failed',
      undefined,
      { cause: error },
    );
  }

  // Security: what binds these tokens to this login is the code, not a nonce: Scalekit documents
  // none in its ID tokens. The code was redeemed once, by this confidential client over TLS, with
  // the PKCE verifier from this browser's state cookie (RFC 9700 2.1.1; docs/6-security.md).
  const idToken = await verifyIdToken(result.idToken, {
    nonce: login.nonce,
    accessToken: result.accessToken,
  });
  if (!idToken.ok) {
    throw new AuthError(
      idToken.reason === 'unavailable' ? 'idp_unavailable' : 'id_token_invalid',
      undefined,
      { cause: idToken.error },
    );
  }
  const accessToken = await verifyAccessToken(result.accessToken);
  if (!accessToken.ok) {
    throw new AuthError(
      accessToken.reason === 'unavailable' ? 'idp_unavailable' : 'id_token_invalid',
      'access token failed verification',
      { cause: accessToken.error },
    );
  }
  // Security: the two tokens are tied by arriving in one token response (and by at_hash, checked
  // above, when present), plus an equal `sid` when both carry one. Not by `sub`: the docs do not
  // promise equal subjects (Modular SSO shows different conn_…;… values). The session user is the
  // access token's sub + oid; the ID token only supplies the profile.
  const idSid = idToken.claims.sid;
  const accessSid = accessToken.claims.sid;
  if (idSid !== undefined && accessSid !== undefined && idSid !== accessSid) {
    throw new AuthError('id_token_invalid', 'ID token and access token name different sessions');
  }

  authEvent(accessToken.claims.sub, 'signed_in', {
    method: signInMethod(idToken.claims.amr),
    organization: accessToken.claims.oid ?? null,
  });
  return {
    returnTo: login.returnTo,
    tokens: {
      accessToken: result.accessToken,
      refreshToken: result.refreshToken || undefined,
      idToken: result.idToken,
    },
    profile: profileFromIdToken(idToken.claims),
    sessionExpiresAt: nowSeconds() + getConfig().session.maxAgeSeconds,
    sid: newSessionId(),
  };
}

/** Scalekit's `amr` names the connection used (conn_…), not RFC 8176 method names. */
function signInMethod(amr: unknown): string {
  return Array.isArray(amr) && typeof amr[0] === 'string' ? amr[0].slice(0, 64) : 'unknown';
}

// ---- The IdP's `error=` on the callback ----

/**
 * `error=` on the callback → the notice the user sees. Codes from Scalekit's docs (the web-app
 * guide: access_denied, invalid_request, server_error; the SSO error reference: user_not_active,
 * application_not_active, invalid_organization_id, …) and the OAuth/OIDC ones a `prompt=none`
 * request can get (the docs are silent on those for Scalekit). Anything else is the generic
 * idp_error: a code we do not know says nothing we could explain better.
 *
 * Security: `error_description` is never shown or logged. Anyone can craft a callback URL, so it
 * is attacker-chosen text ("call support at …"); the code picks one of our own messages instead.
 */
const IDP_ERRORS: Record<string, AuthCode> = {
  access_denied: 'access_denied',
  login_required: 'login_required',
  user_login_required: 'login_required',
  consent_required: 'consent_required',
  interaction_required: 'interaction_required',
  account_selection_required: 'interaction_required',
  invalid_request: 'idp_request_invalid',
  invalid_redirect_uri: 'idp_request_invalid',
  invalid_client: 'idp_request_invalid',
  unauthorized_client: 'idp_request_invalid',
  unsupported_response_type: 'idp_request_invalid',
  invalid_scope: 'idp_request_invalid',
  server_error: 'idp_server_error',
  temporarily_unavailable: 'idp_server_error',
  user_not_active: 'user_not_active',
  application_not_active: 'application_not_active',
  authentication_not_completed: 'authentication_not_completed',
  invalid_organization_id: 'sso_connection_invalid',
  invalid_connection_id: 'sso_connection_invalid',
  invalid_connection_selector: 'sso_connection_invalid',
};

export function authErrorForIdpError(error: string): AuthCode {
  return Object.hasOwn(IDP_ERRORS, error) ? IDP_ERRORS[error]! : 'idp_error';
}
