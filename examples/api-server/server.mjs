#!/usr/bin/env node
// A separate backend that trusts the app's access tokens and nothing else. Any language does the
// same: fetch the IdP's JWKS, verify the JWT (alg, iss, aud, exp), make sure it is an access
// token and not an ID token, then check a permission.
//
//   SCALEKIT_ENV_URL=http://localhost:8787 SCALEKIT_CLIENT_ID=skc_local_dev \
//   APP_URL=http://localhost:3000 node examples/api-server/server.mjs
//
// SCALEKIT_ENVIRONMENT_URL works as well as SCALEKIT_ENV_URL. API_AUDIENCE (comma-separated)
// adds audiences to accept besides the client id, e.g. the one registered for M2M API clients.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

/** Each route names the permission a token must carry (Scalekit's `permissions` claim). */
const ROUTES = {
  '/api/me': {
    permission: 'api:read',
    handle: (claims) => ({
      userId: claims.sub,
      organizationId: claims.oid ?? null,
      roles: claims.roles ?? [],
      permissions: claims.permissions ?? [],
      tokenExpiresAt: new Date(claims.exp * 1000).toISOString(),
    }),
  },
  '/api/invitations': {
    permission: 'members:invite',
    handle: (claims) => ({
      organizationId: claims.oid ?? null,
      invitations: [{ email: 'new.hire@example.com', role: 'member', status: 'pending' }],
    }),
  },
};

/**
 * @param {Record<string, string | undefined>} env
 * @returns {{ port: number, issuer: string, audience: string, jwksUrl: string, allowedOrigin: string }}
 */
export function configFromEnv(env = process.env) {
  const envUrl = env.SCALEKIT_ENVIRONMENT_URL || env.SCALEKIT_ENV_URL;
  const missing = [
    envUrl ? '' : 'SCALEKIT_ENVIRONMENT_URL (or SCALEKIT_ENV_URL)',
    env.SCALEKIT_CLIENT_ID ? '' : 'SCALEKIT_CLIENT_ID',
  ].filter(Boolean);
  if (missing.length) {
    throw new Error(
      `api-server: set ${missing.join(' and ')} (the same values as the app's; \`npm run dev\` fills them in for the local IdP).`,
    );
  }
  const issuer = envUrl.replace(/\/+$/, '');
  const extraAudiences = (env.API_AUDIENCE ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    port: Number(env.API_PORT ?? 4000),
    issuer,
    // Scalekit user access tokens are issued for the app's client id.
    audience: extraAudiences.length
      ? [env.SCALEKIT_CLIENT_ID, ...extraAudiences]
      : env.SCALEKIT_CLIENT_ID,
    jwksUrl: env.JWKS_URL ?? `${issuer}/keys`,
    allowedOrigin: new URL(env.APP_URL ?? 'http://localhost:3000').origin,
  };
}

/**
 * Claims OpenID Connect defines for ID tokens that access tokens never carry (RFC 9068 does not
 * use them; every ID token Scalekit documents has at_hash, c_hash and azp).
 */
const ID_TOKEN_ONLY_CLAIMS = ['nonce', 'at_hash', 'c_hash', 'azp'];

/**
 * An ID token is signed by the same keys for the same audience, so signature, iss and aud cannot
 * tell it from an access token, and Scalekit sets no `typ: at+jwt`. An access token has `jti` and
 * `client_id` (RFC 9068 requires both; every Scalekit access token, user, Modular SSO or M2M,
 * has them; no Scalekit ID token has `jti`) and no ID-token-only claim.
 * @param {Record<string, unknown>} claims
 */
export function isAccessTokenShape(claims) {
  return (
    typeof claims.jti === 'string' &&
    claims.jti !== '' &&
    typeof claims.client_id === 'string' &&
    ID_TOKEN_ONLY_CLAIMS.every((name) => claims[name] === undefined)
  );
}

/**
 * The issuers to accept: the env URL, plus the `issuer` its discovery document advertises (a
 * custom auth domain puts that in `iss`). Same origin and TLS as the JWKS, so no extra trust.
 * Fetched only for a token naming another issuer, at most once per 30 s.
 * @param {string} envUrl
 */
export function issuerTrust(envUrl, { retryAfterMs = 30_000 } = {}) {
  /** @type {string[]} */
  let issuers = [envUrl];
  let checkedAt = 0;
  let failed = false;
  /** @type {Promise<void> | undefined} */
  let pending;
  const discover = async () => {
    try {
      const response = await fetch(`${envUrl}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5_000),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const { issuer } = await response.json();
      if (typeof issuer !== 'string' || !/^https?:\/\/\S+$/.test(issuer))
        throw new Error('no issuer');
      issuers = issuer === envUrl ? [envUrl] : [envUrl, issuer];
      failed = false;
    } catch {
      failed = true;
    } finally {
      checkedAt = Date.now();
    }
  };
  return {
    list: () => issuers,
    /** @param {string} iss @returns {Promise<'trusted' | 'untrusted' | 'unavailable'>} */
    async learn(iss) {
      if (!issuers.includes(iss) && Date.now() - checkedAt >= retryAfterMs) {
        pending ??= discover().finally(() => (pending = undefined));
      }
      if (pending) await pending;
      if (issuers.includes(iss)) return 'trusted';
      return failed ? 'unavailable' : 'untrusted';
    },
  };
}

/**
 * Verifies `Authorization: Bearer <jwt>`. Returns the claims, or the status and error to answer.
 * `issuer` is the env URL, or an issuerTrust() to also accept the advertised issuer.
 * @param {string | undefined} header
 * @param {{ keys: ReturnType<typeof createRemoteJWKSet>, issuer: string | ReturnType<typeof issuerTrust>, audience: string | string[] }} options
 */
export async function verifyBearer(header, { keys, issuer, audience }) {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  if (!match) return { ok: false, status: 401, error: 'missing_token' };
  const trust = typeof issuer === 'string' ? undefined : issuer;
  const check = () =>
    jwtVerify(match[1], keys, {
      // Never the token's own choice: `none` or HS256-signed-with-the-public-key forgeries die here.
      algorithms: ['RS256'],
      issuer: trust ? trust.list() : issuer,
      audience,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: 5,
    });
  try {
    let payload;
    try {
      ({ payload } = await check());
    } catch (error) {
      const iss = error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss';
      if (!trust || !iss || typeof error.payload.iss !== 'string') throw error;
      const verdict = await trust.learn(error.payload.iss);
      if (verdict === 'unavailable') return { ok: false, status: 503, error: 'issuer_unavailable' };
      if (verdict === 'untrusted') throw error;
      ({ payload } = await check());
    }
    // Security: an ID token (same keys, same audience) is not a credential for this API.
    if (!isAccessTokenShape(payload)) return { ok: false, status: 401, error: 'invalid_token' };
    return { ok: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      return { ok: false, status: 401, error: 'token_expired' };
    if (error instanceof errors.JWKSTimeout)
      return { ok: false, status: 503, error: 'jwks_unavailable' };
    return { ok: false, status: 401, error: 'invalid_token' };
  }
}

/** @param {ReturnType<typeof configFromEnv>} config */
export function createApiServer(config) {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5_000 });
  // Discovery is only as trustworthy as the keys: ask it only when the keys come from the env URL.
  const issuer =
    config.jwksUrl === `${config.issuer}/keys` ? issuerTrust(config.issuer) : config.issuer;

  return createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://api.invalid');
    const headers = {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      vary: 'Origin',
    };
    // CORS for the app's origin only: other sites' scripts cannot read any answer.
    if (req.headers.origin === config.allowedOrigin) {
      headers['access-control-allow-origin'] = config.allowedOrigin;
    }
    const send = (status, body, extra = {}) => {
      res.writeHead(status, { ...headers, ...extra });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };

    if (req.method === 'OPTIONS') {
      // Preflight for the Authorization header.
      return send(
        204,
        undefined,
        headers['access-control-allow-origin']
          ? {
              'access-control-allow-methods': 'GET',
              'access-control-allow-headers': 'authorization',
              'access-control-max-age': '600',
            }
          : {},
      );
    }
    if (pathname === '/health') return send(200, { ok: true });

    const route = ROUTES[pathname];
    if (!route) return send(404, { error: 'not_found' });
    if (req.method !== 'GET') return send(405, { error: 'method_not_allowed' }, { allow: 'GET' });

    const result = await verifyBearer(req.headers.authorization, { ...config, keys, issuer });
    if (!result.ok) {
      // RFC 6750: say why, never echo the token.
      return send(
        result.status,
        { error: result.error },
        result.status === 401
          ? {
              'www-authenticate': `Bearer error="${result.error === 'missing_token' ? 'invalid_request' : 'invalid_token'}"`,
            }
          : {},
      );
    }
    // User tokens carry `permissions`; M2M (client_credentials) tokens carry `scopes`.
    const granted = [result.claims.permissions, result.claims.scopes].flatMap((list) =>
      Array.isArray(list) ? list : [],
    );
    if (!granted.includes(route.permission)) {
      return send(
        403,
        { error: 'insufficient_permission', required: route.permission },
        {
          'www-authenticate': `Bearer error="insufficient_scope"`,
        },
      );
    }
    return send(200, route.handle(result.claims));
  });
}

/** @param {ReturnType<typeof configFromEnv>} config */
export function startApiServer(config) {
  const server = createApiServer(config);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      resolve({
        url: `http://localhost:${port}`,
        close: () => new Promise((done) => server.close(() => done(undefined))),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let config;
  try {
    config = configFromEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const { url } = await startApiServer(config);
  console.log(
    `Example API listening on ${url} (issuer ${config.issuer}, CORS for ${config.allowedOrigin})`,
  );
}
