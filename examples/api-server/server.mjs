#!/usr/bin/env node
// A separate backend that trusts the app's access tokens and nothing else. Any language does the
// same: fetch the IdP's JWKS, verify the JWT (alg, iss, aud, exp), then check a permission.
//
//   SCALEKIT_ENV_URL=http://localhost:8787 SCALEKIT_CLIENT_ID=skc_local_dev \
//   APP_URL=http://localhost:3000 node examples/api-server/server.mjs
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
  const missing = ['SCALEKIT_ENV_URL', 'SCALEKIT_CLIENT_ID'].filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `api-server: set ${missing.join(' and ')} (the same values as the app's; \`npm run dev\` fills them in for the local IdP).`,
    );
  }
  const issuer = env.SCALEKIT_ENV_URL.replace(/\/+$/, '');
  return {
    port: Number(env.API_PORT ?? 4000),
    issuer,
    // Scalekit access tokens are issued for the app's client id.
    audience: env.SCALEKIT_CLIENT_ID,
    jwksUrl: env.JWKS_URL ?? `${issuer}/keys`,
    allowedOrigin: new URL(env.APP_URL ?? 'http://localhost:3000').origin,
  };
}

/**
 * Verifies `Authorization: Bearer <jwt>`. Returns the claims, or the status and error to answer.
 * @param {string | undefined} header
 * @param {{ keys: ReturnType<typeof createRemoteJWKSet>, issuer: string, audience: string }} options
 */
export async function verifyBearer(header, { keys, issuer, audience }) {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  if (!match) return { ok: false, status: 401, error: 'missing_token' };
  try {
    const { payload } = await jwtVerify(match[1], keys, {
      // Never the token's own choice: `none` or HS256-signed-with-the-public-key forgeries die here.
      algorithms: ['RS256'],
      issuer,
      audience,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: 5,
    });
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

    const result = await verifyBearer(req.headers.authorization, { keys, ...config });
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
    const permissions = Array.isArray(result.claims.permissions) ? result.claims.permissions : [];
    if (!permissions.includes(route.permission)) {
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
