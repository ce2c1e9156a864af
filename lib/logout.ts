import 'server-only';
import { getConfig } from './config';
import { getScalekit } from './scalekit';

/**
 * The IdP's logout URL. Logout must be a browser redirect: the IdP ends its own session from its
 * cookie, which only the browser has. The ID token hint tells it which session to end.
 */
export function buildLogoutUrl(idToken: string | undefined): string {
  return getScalekit().getLogoutUrl({
    idTokenHint: idToken,
    postLogoutRedirectUri: getConfig().postLogoutRedirectUrl,
  });
}
