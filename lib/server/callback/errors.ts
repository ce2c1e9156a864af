import type { AuthCode } from '@/lib/auth/outcomes';

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
