import 'server-only';
import type { AppOrigin } from './origin';
import { getScalekit } from './scalekit';

/**
 * The IdP's logout URL. Logout must be a browser redirect: the IdP ends its own session from its
 * cookie, which only the browser has. The ID token hint tells it which session to end.
 */
export function buildLogoutUrl(app: AppOrigin, idToken: string | undefined): string {
  return getScalekit().getLogoutUrl({
    idTokenHint: idToken,
    postLogoutRedirectUri: app.postLogoutRedirectUrl,
  });
}
