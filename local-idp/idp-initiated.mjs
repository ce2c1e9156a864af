// IdP-initiated SSO, the last hop: after a user starts a login at their company's IdP (say, an app
// tile in Okta), Scalekit sends the browser to the app's Initiate Login URL with
// `?idp_initiated_login=<JWT>`, signed with the environment's keys, claims organization_id,
// connection_id, login_hint, iss, iat, nbf, exp (5 min) and optionally relay_state
// (docs: sso/guides/idp-init-sso; SDK type IdpInitiatedLoginClaims). This mints such tokens.
import { importJWK, SignJWT } from 'jose';

const LIFETIME_SECONDS = 300;

/** What the seeded users belong to (users.json), so a default token routes somewhere real. */
export const IDP_INITIATED_DEFAULTS = Object.freeze({
  organization_id: 'org_01HACME00000000000000001',
  connection_id: 'conn_01HACMESSO00000000000001',
  login_hint: 'alice@example.com',
});

/**
 * @param {{
 *   issuer: string,
 *   appUrl: string,
 *   currentSigningKey: () => import('node:crypto').JsonWebKey & { kid: string },
 * }} options
 */
export function createIdpInitiated({ issuer, appUrl, currentSigningKey }) {
  /**
   * @param {{ organization_id?: string, connection_id?: string, login_hint?: string,
   *   relay_state?: string, ttlSeconds?: number }} [claims]
   */
  async function mint(claims = {}) {
    const { ttlSeconds = LIFETIME_SECONDS, relay_state, ...rest } = claims;
    const jwk = currentSigningKey();
    const key = await importJWK(jwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      organization_id: rest.organization_id ?? IDP_INITIATED_DEFAULTS.organization_id,
      connection_id: rest.connection_id ?? IDP_INITIATED_DEFAULTS.connection_id,
      login_hint: rest.login_hint ?? IDP_INITIATED_DEFAULTS.login_hint,
      ...(relay_state !== undefined && { relay_state }),
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key);
  }

  /**
   * Where GET /__control/idp-initiated-login?organization_id&connection_id&login_hint&relay_state
   * sends the browser: `${appUrl}/login?idp_initiated_login=…` (control.mjs serves the route).
   * @param {URLSearchParams} q
   */
  async function loginUrl(q) {
    const token = await mint({
      organization_id: q.get('organization_id') ?? undefined,
      connection_id: q.get('connection_id') ?? undefined,
      login_hint: q.get('login_hint') ?? undefined,
      relay_state: q.get('relay_state') ?? undefined,
    });
    return `${appUrl}/login?idp_initiated_login=${encodeURIComponent(token)}`;
  }

  return { mint, loginUrl };
}
