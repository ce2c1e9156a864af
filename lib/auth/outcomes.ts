/**
 * One error type for the whole auth flow. `code` is what logs and URLs carry; the readable
 * text for each code lives in lib/auth/messages.ts. Neither ever contains a token, a code or
 * a secret, so an AuthError is always safe to log by its code.
 */
export type AuthErrorCode =
  | 'config_invalid'
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
  | 'refresh_token_missing'
  | 'refresh_token_invalid'
  | 'idp_unavailable'
  | 'cross_site_request'
  | 'session_expired'
  | 'host_not_allowed';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.code = code;
  }
}

export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return value instanceof AuthError && (code === undefined || value.code === code);
}
