// IdP-initiated SSO, the last hop: after a user starts a login at their company's IdP (say, an app
// tile in Okta), Scalekit sends the browser to the app's Initiate Login URL with
// `?idp_initiated_login=<JWT>`, signed with the environment's keys, claims organization_id,
// connection_id, login_hint, iss, iat, nbf, exp (5 min) and optionally relay_state
// (docs: sso/guides/idp-init-sso; SDK type IdpInitiatedLoginClaims). This mints such tokens.
import { importJWK, SignJWT } from 'jose';

export const IDP_INITIATED_PATH = '/__control/idp-initiated-login';
const LIFETIME_SECONDS = 300;

/** What the seeded users belong to (users.json), so a default token routes somewhere real. */
export const IDP_INITIATED_DEFAULTS = Object.freeze({
  organization_id: 'org_01HACME00000000000000001',
  connection_id: 'conn_01HACMESSO00000000000001',
  login_hint: 'alice@example.com',
});

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

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
   * GET /__control/idp-initiated-login?organization_id&connection_id&login_hint&relay_state →
   * 302 to `${appUrl}/login?idp_initiated_login=…`. A browser entry: typed, bookmarked or linked
   * from the IdP's own pages. Like the other control endpoints it answers loopback only, and it
   * refuses cross-site requests (Sec-Fetch-Site / Origin), so another site cannot start an
   * IdP-initiated login in a visitor's browser through it.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname !== IDP_INITIATED_PATH) return false;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const refuse = (/** @type {number} */ status, /** @type {string} */ text) => {
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(text);
      return true;
    };
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      return refuse(403, 'control endpoints answer loopback callers only');
    }
    if (req.method !== 'GET') return refuse(405, 'GET only');
    if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== issuer)) {
      return refuse(403, 'cross-site requests are refused');
    }
    const q = url.searchParams;
    const token = await mint({
      organization_id: q.get('organization_id') ?? undefined,
      connection_id: q.get('connection_id') ?? undefined,
      login_hint: q.get('login_hint') ?? undefined,
      relay_state: q.get('relay_state') ?? undefined,
    });
    res.writeHead(302, {
      location: `${appUrl}/login?idp_initiated_login=${encodeURIComponent(token)}`,
      'cache-control': 'no-store',
    });
    res.end();
    return true;
  }

  return { mint, handle };
}
