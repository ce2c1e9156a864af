#!/usr/bin/env node
// Local OpenID provider that @scalekit-sdk/node cannot tell apart from a Scalekit environment.
// Development and tests only. Run `node local-idp/server.mjs`, or import startLocalIdp().
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLocalJWKSet, jwtVerify } from 'jose';

import { createControl, parseFault } from './control.mjs';
import { createIdpInitiated } from './idp-initiated.mjs';
import { createInteractionHandler } from './interactions.mjs';
import { ensureDataDir, loadCookieKeys, loadSigningKeys } from './keys.mjs';
import { createProvider, requestOfflineAccessLikeScalekit, ROUTES } from './provider.mjs';
import { Store } from './store.mjs';
import { loadUsers, profileClaims } from './users.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..');

export const DEFAULTS = Object.freeze({
  port: 8787,
  accessTokenTtl: 300,
  appUrl: 'http://localhost:3000',
  clientId: 'skc_local_dev',
  clientSecret: 'local_dev_client_secret_do_not_use_in_prod',
  dataDir: path.join(REPO_ROOT, '.local-idp'),
  usersFile: path.join(HERE, 'users.json'),
});

/** @param {string | undefined} value @param {number} fallback @param {string} name */
function positiveInt(value, fallback, name, { allowZero = false } = {}) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < (allowZero ? 0 : 1))
    throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

/**
 * @typedef {object} LocalIdpOptions
 * @property {number} [port]            LOCAL_IDP_PORT, default 8787; 0 picks a free port.
 * @property {string} [host]            Listen address; default all interfaces (IPv4 and IPv6).
 * @property {number} [accessTokenTtl]  LOCAL_IDP_ACCESS_TOKEN_TTL seconds, default 300.
 * @property {string} [appUrl]          APP_URL, default http://localhost:3000.
 * @property {string} [clientId]        SCALEKIT_CLIENT_ID, default skc_local_dev.
 * @property {string} [clientSecret]    SCALEKIT_CLIENT_SECRET.
 * @property {string} [dataDir]         LOCAL_IDP_DATA_DIR, default <repo>/.local-idp.
 * @property {string} [usersFile]       LOCAL_IDP_USERS, default local-idp/users.json.
 * @property {import('./control.mjs').TokenFault} [fault]  LOCAL_IDP_FAULT, default none.
 * @property {boolean} [persist]        Keep sessions/tokens in <dataDir>/store.json (LOCAL_IDP_PERSIST=0 disables).
 * @property {false | ((line: string) => void)} [log]  false silences logging.
 */

/**
 * Starts the IdP. Options default from the environment (see README.md).
 * @param {LocalIdpOptions} [options]
 */
export async function startLocalIdp(options = {}) {
  const env = process.env;
  const port =
    options.port ??
    positiveInt(env.LOCAL_IDP_PORT, DEFAULTS.port, 'LOCAL_IDP_PORT', { allowZero: true });
  let accessTokenTtl =
    options.accessTokenTtl ??
    positiveInt(
      env.LOCAL_IDP_ACCESS_TOKEN_TTL,
      DEFAULTS.accessTokenTtl,
      'LOCAL_IDP_ACCESS_TOKEN_TTL',
    );
  const appUrl = (options.appUrl ?? env.APP_URL ?? DEFAULTS.appUrl).replace(/\/+$/, '');
  const clientId = options.clientId ?? env.SCALEKIT_CLIENT_ID ?? DEFAULTS.clientId;
  const clientSecret = options.clientSecret ?? env.SCALEKIT_CLIENT_SECRET ?? DEFAULTS.clientSecret;
  const dataDir = path.resolve(options.dataDir ?? env.LOCAL_IDP_DATA_DIR ?? DEFAULTS.dataDir);
  const usersFile = path.resolve(options.usersFile ?? env.LOCAL_IDP_USERS ?? DEFAULTS.usersFile);
  const initialFault = parseFault(options.fault ?? env.LOCAL_IDP_FAULT ?? 'none');
  const persist = options.persist ?? env.LOCAL_IDP_PERSIST !== '0';
  /** @type {(line: string) => void} */
  const log =
    options.log === false
      ? () => {}
      : (options.log ?? ((line) => console.log(`[local-idp] ${line}`)));

  ensureDataDir(dataDir);
  const signingKeys = loadSigningKeys(dataDir);
  const cookieKeys = loadCookieKeys(dataDir);
  const users = loadUsers(usersFile);
  const store = new Store({ file: persist ? path.join(dataDir, 'store.json') : undefined });

  const server = http.createServer();
  // Clients (Node's global agent, axios in the SDK) drop idle keep-alive sockets after ~5 s; the
  // server must outlast that, or a request can race the server closing the socket (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen({ port, host: options.host });
  await once(server, 'listening');
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  // Always "localhost": it is the issuer the app and SDK are configured with, whichever
  // interface a request arrives on.
  const issuer = `http://localhost:${address.port}`;

  const client = {
    clientId,
    clientSecret,
    redirectUris: [`${appUrl}/api/callback`],
    postLogoutRedirectUris: [`${appUrl}/`, appUrl, `${appUrl}/login`],
  };

  /** @type {import('oidc-provider').default} */
  let provider;
  /** @type {http.RequestListener} */
  let providerCallback;

  const control = createControl({
    tokenPath: ROUTES.token,
    initialFault,
    log,
    rotateSigningKey: () => rotateSigningKey(),
    setAccessTokenTtl: (seconds) => setAccessTokenTtl(seconds),
  });

  // oidc-provider reads its keystore once at construction, so a rotation builds a fresh
  // Provider over the same store and cookie keys: sessions, grants and tokens carry over.
  function buildProvider() {
    provider = createProvider({
      issuer,
      jwks: signingKeys.privateJwks(),
      cookieKeys,
      adapter: store.adapterFactory(),
      users,
      client,
      accessTokenTtl,
      middleware: [requestOfflineAccessLikeScalekit, control.tokenEndpointGuard],
      log,
    });
    providerCallback = provider.callback();
  }

  function rotateSigningKey() {
    const kid = signingKeys.rotate();
    buildProvider();
    log(`signing key rotated; now signing with ${kid}`);
    return { kid, kids: signingKeys.publicJwks().keys.map((k) => k.kid) };
  }

  /** @param {number} seconds */
  function setAccessTokenTtl(seconds) {
    accessTokenTtl = seconds;
    buildProvider();
    log(`access-token TTL set to ${seconds} s`);
    return seconds;
  }

  buildProvider();

  const idpInitiated = createIdpInitiated({
    issuer,
    appUrl,
    currentSigningKey: () => /** @type {any} */ (signingKeys.privateJwks().keys[0]),
  });

  const handleInteraction = createInteractionHandler({ getProvider: () => provider, users, log });

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handleUserinfo(req, res) {
    const fail = (/** @type {string} */ error, /** @type {string} */ description) => {
      res.writeHead(401, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'www-authenticate': `Bearer realm="${issuer}", error="${error}", error_description="${description}"`,
      });
      res.end(JSON.stringify({ error, error_description: description }));
    };
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return fail('invalid_request', 'no bearer access token provided');
    try {
      const { payload } = await jwtVerify(match[1], createLocalJWKSet(signingKeys.publicJwks()), {
        issuer,
        audience: clientId,
        algorithms: ['RS256'],
      });
      // Like Scalekit's, these access tokens are self-contained JWTs (oidc-provider does not store
      // them), so a token stays usable here until it expires, even after logout.
      const user = payload.sub ? users.byId(payload.sub) : undefined;
      if (!user) return fail('invalid_token', 'access token subject is unknown');
      const scopes = new Set(String(payload.scope ?? '').split(' '));
      const all = profileClaims(user);
      const body = {
        sub: all.sub,
        oid: all.oid,
        ...(scopes.has('profile') && {
          name: all.name,
          given_name: all.given_name,
          family_name: all.family_name,
        }),
        ...(scopes.has('email') && { email: all.email, email_verified: all.email_verified }),
      };
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(body));
    } catch {
      fail('invalid_token', 'access token is invalid or expired');
    }
  }

  server.on('request', async (req, res) => {
    try {
      if (await idpInitiated.handle(req, res)) return;
      if (await control.handle(req, res)) return;
      if (await handleInteraction(req, res)) return;
      const { pathname } = new URL(req.url ?? '/', issuer);
      if (pathname === ROUTES.userinfo && (req.method === 'GET' || req.method === 'POST')) {
        await handleUserinfo(req, res);
        return;
      }
      providerCallback(req, res);
    } catch (err) {
      log(`request failed: ${/** @type {Error} */ (err).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('local IdP error');
    }
  });

  let closing;
  return {
    url: issuer,
    issuer,
    port: address.port,
    clientId,
    clientSecret,
    redirectUri: client.redirectUris[0],
    postLogoutRedirectUri: `${appUrl}/`,
    dataDir,
    /** Live counters: same object as GET /__control/stats returns a copy of. */
    stats: control.stats,
    resetStats: control.resetStats,
    getFault: control.getFault,
    setFault: control.setFault,
    rotateSigningKey,
    setAccessTokenTtl,
    currentKid: () => signingKeys.currentKid(),
    /** An `idp_initiated_login` token as Scalekit sends it to the Initiate Login URL. */
    mintIdpInitiatedLoginToken: idpInitiated.mint,
    /** Stops listening, drops open (including deliberately hung) connections, saves the store. */
    close() {
      closing ??= (async () => {
        const closed = once(server, 'close');
        server.close();
        server.closeAllConnections();
        await closed;
        store.flush();
      })();
      return closing;
    },
  };
}

async function main() {
  const idp = await startLocalIdp();
  console.log(`Local IdP (Scalekit-compatible) listening on ${idp.url}`);

  let stopping = false;
  const stop = async () => {
    // A second Ctrl-C while shutting down means "now".
    if (stopping) process.exit(1);
    stopping = true;
    await idp.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`Local IdP failed to start: ${err?.message ?? err}`);
    process.exit(1);
  });
}
