/**
 * Every outcome of the auth flow, in one vocabulary: the code union that errors, JSON bodies,
 * /auth/error URLs and notices carry, and the readable message for each. No server-only import:
 * the error page and client notices render these too. A code never contains a token, a code or
 * a secret, so an AuthError is always safe to log by its code.
 *
 * One meaning per code: `session_ended` means the session is over and only a new sign-in helps;
 * `access_token_expired` means the session lives and POST /api/refresh renews it.
 */
export type AuthCode =
  // Set-up and request checks
  | 'config_invalid'
  | 'host_not_allowed'
  | 'cross_site_request'
  // Sign-in (login and callback)
  | 'state_missing'
  | 'state_mismatch'
  | 'state_expired'
  | 'callback_invalid'
  | 'idp_error'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'idp_request_invalid'
  | 'idp_server_error'
  | 'user_not_active'
  | 'application_not_active'
  | 'authentication_not_completed'
  | 'sso_connection_invalid'
  | 'idp_initiated_login_invalid'
  | 'code_exchange_failed'
  | 'id_token_invalid'
  // Session and refresh
  | 'access_token_expired'
  | 'refresh_token_missing'
  | 'refresh_token_invalid'
  | 'session_ended'
  | 'unauthenticated'
  | 'forbidden'
  | 'idp_unavailable'
  // Sign-out and notices
  | 'logout_idp_unavailable'
  | 'signed_out'
  // Sessions and devices (/account/sessions, webhooks)
  | 'session_not_found'
  | 'session_revoked'
  | 'signed_out_everywhere'
  | 'webhook_invalid';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthCode;

  constructor(code: AuthCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.code = code;
  }
}

export function isAuthError(value: unknown, code?: AuthCode): value is AuthError {
  return value instanceof AuthError && (code === undefined || value.code === code);
}

export type AuthMessage = { title: string; description: string };

const MESSAGES: Record<AuthCode, AuthMessage> = {
  state_missing: {
    title: 'Your sign-in link expired',
    description:
      'We could not find the sign-in attempt this page belongs to. It may have timed out or been completed in another tab. Start again.',
  },
  state_mismatch: {
    title: 'This sign-in could not be verified',
    description:
      'The response from the sign-in page did not match the attempt started in this browser, so we stopped it to protect your account. Start again.',
  },
  state_expired: {
    title: 'Your sign-in took too long',
    description: 'Sign-in attempts are valid for 10 minutes. Start again.',
  },
  callback_invalid: {
    title: 'The sign-in response was incomplete',
    description: 'The sign-in page sent us back without the information we need. Start again.',
  },
  idp_error: {
    title: 'The sign-in page reported a problem',
    description:
      'Signing in did not complete. Try again, and contact support if it keeps happening.',
  },
  access_denied: {
    title: 'Sign-in was cancelled',
    description: 'You, or your organization’s policy, declined the sign-in. You can try again.',
  },
  login_required: {
    title: 'You need to sign in',
    description:
      'You are not signed in with the sign-in service, so we could not sign you in without showing its page. Sign in to continue.',
  },
  consent_required: {
    title: 'Your approval is needed',
    description:
      'The sign-in service needs you to approve this app before it can sign you in. Sign in again and approve it.',
  },
  interaction_required: {
    title: 'Sign-in needs your input',
    description:
      'The sign-in service needs you to choose an account or confirm a step. Sign in again to continue.',
  },
  idp_request_invalid: {
    title: 'The sign-in service refused this app’s request',
    description:
      'This is a problem with how the app is set up, not with your account. Contact the app’s administrator.',
  },
  idp_server_error: {
    title: 'The sign-in service had a problem',
    description: 'Signing in failed on the sign-in service’s side. Try again in a moment.',
  },
  user_not_active: {
    title: 'Your account is not active',
    description:
      'The sign-in service says this account is disabled or not yet active. Contact your organization’s administrator.',
  },
  application_not_active: {
    title: 'Sign-in is not enabled for this app',
    description:
      'The sign-in service has this app switched off for your organization. Contact your organization’s administrator.',
  },
  authentication_not_completed: {
    title: 'Sign-in was not completed',
    description:
      'The sign-in was left unfinished, for example at your company’s sign-in page. Start again.',
  },
  sso_connection_invalid: {
    title: 'Your organization’s sign-in could not be found',
    description:
      'The sign-in link named an organization or single sign-on connection the sign-in service does not know, or one that is switched off. Sign in again without the link, or contact your administrator.',
  },
  idp_initiated_login_invalid: {
    title: 'This sign-in link is not valid',
    description:
      'The link from your company’s portal has expired or could not be verified. Open the app again from the portal, or sign in here.',
  },
  code_exchange_failed: {
    title: 'We could not complete your sign-in',
    description:
      'The one-time sign-in code was rejected. It may already have been used. Start again.',
  },
  id_token_invalid: {
    title: 'Your identity could not be verified',
    description:
      'The identity token we received failed verification, so no session was created. Start again.',
  },
  idp_unavailable: {
    title: 'The sign-in service is briefly unavailable',
    description:
      'We could not reach the sign-in service. Your session is kept; try again in a moment.',
  },
  session_ended: {
    title: 'Your session ended',
    description: 'For your security you were signed out. Sign in again to continue.',
  },
  refresh_token_invalid: {
    title: 'Your session ended',
    description: 'For your security you were signed out. Sign in again to continue.',
  },
  refresh_token_missing: {
    title: 'Your session ended',
    description: 'Sign in again to continue.',
  },
  cross_site_request: {
    title: 'Request blocked',
    description: 'That request came from another site, so we ignored it. Nothing changed.',
  },
  config_invalid: {
    title: 'Sign-in is not configured',
    description:
      'The server is missing part of its sign-in configuration. The server log says which setting.',
  },
  host_not_allowed: {
    title: 'Unknown address',
    description: 'This app is not configured to answer on this address.',
  },
  logout_idp_unavailable: {
    title: 'You are signed out of this app',
    description:
      'We could not reach the sign-in service to end your session there, so it may still be active. On a shared device, close the browser.',
  },
  access_token_expired: {
    title: 'Your session needs renewing',
    description: 'Your access expired a moment ago and is being renewed. Try again.',
  },
  unauthenticated: {
    title: 'You are not signed in',
    description: 'Sign in to continue.',
  },
  forbidden: {
    title: 'You do not have access',
    description: 'Your account lacks the role or permission this needs.',
  },
  signed_out: {
    title: 'You are signed out',
    description: 'Sign in again whenever you are ready.',
  },
  session_not_found: {
    title: 'Session not found',
    description: 'None of your sessions has that id, so nothing was signed out.',
  },
  session_revoked: {
    title: 'Session signed out',
    description: 'That device is signed out. It needs to sign in again to continue.',
  },
  signed_out_everywhere: {
    title: 'You are signed out everywhere',
    description: 'Every device that was signed in to your account has to sign in again.',
  },
  webhook_invalid: {
    title: 'Webhook refused',
    description: 'The request was not a webhook signed with this app’s secret. Nothing changed.',
  },
};

const UNKNOWN: AuthMessage = {
  title: 'Something went wrong while signing in',
  description: 'Try again. If it keeps happening, contact support.',
};

export function isKnownAuthCode(code: string | null | undefined): code is AuthCode {
  return !!code && Object.hasOwn(MESSAGES, code);
}

export function authMessage(code: string | null | undefined): AuthMessage {
  return (isKnownAuthCode(code) && MESSAGES[code]) || UNKNOWN;
}
