// Token shapes as Scalekit documents them (Full Stack Auth by default, Modular SSO on request),
// plus the variants its docs leave open. oidc-provider mints the tokens; this module bends them:
// the access token through oidc-provider's JWT customizer, the ID token by re-signing the token
// endpoint's answer with the same key, because oidc-provider offers no hook for aud arrays, amr
// connection ids or dropping the nonce there.
import { createHash, randomBytes } from 'node:crypto';

import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

import { membershipOf, profileClaims } from './users.mjs';

export const NONCE_MODES = /** @type {const} */ (['omit', 'echo']);
export const AUDIENCE_MODES = /** @type {const} */ (['array', 'string']);
export const PRODUCTS = /** @type {const} */ (['fsa', 'modular']);

/**
 * @typedef {object} Variant
 * @property {'omit' | 'echo'} nonce      omit: no nonce claim (every Scalekit example); echo: OIDC's rule.
 * @property {'array' | 'string'} audience  aud as [client_id] (every example) or a plain string.
 * @property {'fsa' | 'modular'} product  Full Stack Auth or Modular SSO token shapes.
 * @property {string | undefined} accessTokenAudience  aud of access tokens when not the client id.
 */

/**
 * @template {string} T
 * @param {unknown} value @param {readonly T[]} allowed @param {string} name @returns {T}
 */
export function oneOf(value, allowed, name) {
  const s = String(value).trim();
  if (!(/** @type {readonly string[]} */ (allowed).includes(s)))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${s}"`);
  return /** @type {T} */ (s);
}

// Scalekit's examples: FSA ID token exp-iat = 1800 s; the Modular SSO example lives 3 days.
const ID_TOKEN_TTL = { fsa: 1800, modular: 3 * 24 * 60 * 60 };

/** OIDC at_hash / c_hash for RS256: left half of SHA-256, base64url. */
export function halfHash(/** @type {string} */ value) {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Modular SSO subject: the connection plus the user's id at the upstream IdP. */
export const modularSubject = (
  /** @type {import('./users.mjs').LocalUser} */ user,
  /** @type {{ connection_id: string }} */ org,
) => `${org.connection_id};${user.idp_user_id}`;

const newTokenId = () => `tkn_${randomBytes(16).toString('hex')}`;

/**
 * Which organization a grant (one login, and every refresh of it) was signed in to. Kept in the
 * IdP's store next to the grant, so it survives restarts like refresh tokens do.
 * @param {import('./store.mjs').Store} store
 */
export function orgChoices(store) {
  const MODEL = 'OrgChoice';
  return {
    /** @param {string | undefined} grantId @returns {string | undefined} */
    get: (grantId) => (grantId ? store.get(MODEL, grantId)?.organization_id : undefined),
    /** @param {string} grantId @param {string} organizationId */
    set: (grantId, organizationId) =>
      store.set(MODEL, grantId, { organization_id: organizationId }, 14 * 24 * 60 * 60),
  };
}

/**
 * @param {{
 *   variant: Variant,
 *   clientId: string,
 *   users: import('./users.mjs').UserDirectory,
 *   choices: ReturnType<typeof orgChoices>,
 *   privateJwks: () => { keys: Array<Record<string, any>> },
 *   servedUrl: string,
 *   tokenPath: string,
 * }} options
 */
export function createShapes({
  variant,
  clientId,
  users,
  choices,
  privateJwks,
  servedUrl,
  tokenPath,
}) {
  const audienceOf = (/** @type {string} */ value) =>
    variant.audience === 'array' ? [value] : value;

  /** @param {string | undefined} accountId @param {string | undefined} grantId */
  function resolve(accountId, grantId) {
    const user = accountId ? users.byId(accountId) : undefined;
    if (!user) return undefined;
    const membership = membershipOf(user, choices.get(grantId));
    const org = /** @type {import('./users.mjs').Organization} */ (
      users.organization(membership.organization_id)
    );
    return { user, membership, org };
  }

  /** extraTokenClaims: Scalekit's authorization claims for the signed-in organization. */
  async function extraAccessTokenClaims(/** @type {any} */ _ctx, /** @type {any} */ token) {
    const found = resolve(token.accountId, token.grantId);
    if (!found || variant.product === 'modular') return undefined;
    return {
      oid: found.membership.organization_id,
      sid: token.sid,
      roles: [...found.membership.roles],
      permissions: [...found.membership.permissions],
    };
  }

  /**
   * formats.customizers.jwt: the access token as D-complete/D-at show it (FSA), or as D-msso shows
   * it (Modular SSO: iss, sub, aud, exp, iat, nbf, client_id, jti and nothing else).
   */
  async function customizeAccessToken(
    /** @type {any} */ _ctx,
    /** @type {any} */ token,
    /** @type {{ header?: Record<string, unknown>, payload: Record<string, any> }} */ jwt,
  ) {
    // Scalekit does not type its access tokens as RFC 9068 at+jwt.
    jwt.header = { typ: 'JWT' };
    const p = jwt.payload;
    p.aud = audienceOf(variant.accessTokenAudience ?? clientId);
    p.jti = newTokenId();
    p.nbf = p.iat;
    if (variant.product === 'modular') {
      const found = resolve(token.accountId, token.grantId);
      jwt.payload = {
        iss: p.iss,
        sub: found ? modularSubject(found.user, found.org) : p.sub,
        aud: p.aud,
        exp: p.exp,
        iat: p.iat,
        nbf: p.nbf,
        client_id: p.client_id,
        jti: p.jti,
      };
    }
  }

  /** @param {string} kid */
  async function signingKey(kid) {
    const jwk = privateJwks().keys.find((k) => k.kid === kid);
    if (!jwk) throw new Error(`no private key for kid ${kid}`);
    return importJWK(jwk, 'RS256');
  }

  /**
   * Koa middleware around the token endpoint: rebuilds the ID token in Scalekit's shape (signed
   * with the key and kid oidc-provider used) and trims the response to the documented fields.
   * @param {any} ctx @param {() => Promise<void>} next
   */
  async function reshapeTokenResponse(ctx, next) {
    await next();
    if (ctx.path !== tokenPath || ctx.method !== 'POST' || ctx.status !== 200) return;
    const body = ctx.body;
    if (!body || typeof body !== 'object' || typeof body.access_token !== 'string') return;

    /** @type {Record<string, unknown>} */
    const out = { access_token: body.access_token };
    if (typeof body.id_token === 'string') {
      out.id_token = await reshapeIdToken(body.id_token, body.access_token, ctx);
    }
    out.token_type = body.token_type;
    out.expires_in = body.expires_in;
    // D-apiauth's client_credentials response carries scope "openid".
    if (ctx.oidc?.params?.grant_type === 'client_credentials') out.scope = 'openid';
    // Modular SSO does not support offline_access (D-msso); the authorize middleware already
    // drops the scope, this keeps it true whatever oidc-provider decides.
    if (body.refresh_token && variant.product !== 'modular') out.refresh_token = body.refresh_token;
    ctx.body = out;
  }

  /** @param {string} idToken @param {string} accessToken @param {any} ctx */
  async function reshapeIdToken(idToken, accessToken, ctx) {
    const original = decodeJwt(idToken);
    const { kid } = decodeProtectedHeader(idToken);
    const grantId = ctx.oidc?.entities?.Grant?.jti;
    const found = resolve(original.sub, grantId);
    if (!found || !kid) return idToken;
    const { user, membership, org } = found;
    const fsa = variant.product === 'fsa';
    const iat = Number(original.iat);
    const code =
      ctx.oidc?.params?.grant_type === 'authorization_code' ? ctx.oidc.params.code : undefined;
    const profile = profileClaims(user, servedUrl);

    /** @type {Record<string, unknown>} */
    const claims = {
      iss: original.iss,
      aud: audienceOf(clientId),
      azp: clientId,
      sub: fsa ? user.id : modularSubject(user, org),
      oid: membership.organization_id,
      // D-id (the Modular SSO era table) has neither sid nor client_id.
      ...(fsa && { sid: original.sid, client_id: clientId }),
      // Scalekit's amr names the connection the user signed in through, not RFC 8176 methods.
      amr: [org.connection_id],
      at_hash: halfHash(accessToken),
      ...(code && { c_hash: halfHash(code) }),
      iat,
      exp: iat + ID_TOKEN_TTL[variant.product],
      // email always; the rest only when oidc-provider's scope filter let them through.
      email: profile.email,
    };
    for (const key of /** @type {const} */ ([
      'email_verified',
      'name',
      'given_name',
      'family_name',
      'picture',
    ])) {
      if (key in original && profile[key] !== undefined) claims[key] = profile[key];
    }
    if (variant.nonce === 'echo' && typeof original.nonce === 'string')
      claims.nonce = original.nonce;

    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .sign(await signingKey(kid));
  }

  return { extraAccessTokenClaims, customizeAccessToken, reshapeTokenResponse };
}
