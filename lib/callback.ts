import 'server-only';
import { getConfig } from './config';
import { nowSeconds } from './cookies';
import { AuthError } from './errors';
import { classifyIdpError } from './idp-errors';
import { openLoginState, statesMatch } from './login';
import { getScalekit } from './scalekit';
import type { AppOrigin } from './origin';
import { profileFromIdToken, type UserProfile } from './session';
import { newSessionId } from './session-revocation';
import { verifyAccessToken, verifyIdToken } from './tokens';

export type CompletedLogin = {
  returnTo: string;
  tokens: { accessToken: string; refreshToken?: string; idToken: string };
  profile: UserProfile;
  sessionExpiresAt: number;
  /** The app's id for this session (lib/session-revocation.ts). */
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
  const login = await openLoginState(stateCookie);

  const idpError = params.get('error');
  if (idpError) {
    throw new AuthError(idpError === 'access_denied' ? 'access_denied' : 'idp_error');
  }
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

  // Security: verify the ID token ourselves (signature, iss, aud, nonce) before trusting any
  // claim in it; the SDK only decodes it.
  const idToken = await verifyIdToken(result.idToken, login.nonce);
  if (!idToken.ok) {
    throw new AuthError(
      idToken.reason === 'unavailable' ? 'idp_unavailable' : 'id_token_invalid',
      undefined,
      {
        cause: idToken.error,
      },
    );
  }
  const accessToken = await verifyAccessToken(result.accessToken);
  if (!accessToken.ok || accessToken.claims.sub !== idToken.claims.sub) {
    throw new AuthError('id_token_invalid', 'access token failed verification');
  }

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
