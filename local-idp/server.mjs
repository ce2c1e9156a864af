#!/usr/bin/env node
// Local OpenID provider that @scalekit-sdk/node cannot tell apart from a Scalekit environment.
// Development and tests only. Run `node local-idp/server.mjs`, or import startLocalIdp().
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLocalJWKSet, jwtVerify } from 'jose';

import { createControl, parseFault } from './control.mjs';
import { createSessionService, serveH2cAlongside } from './grpc.mjs';
import { createIdpInitiated } from './idp-initiated.mjs';
import { createInteractionHandler } from './interactions.mjs';
import { ensureDataDir, loadCookieKeys, loadSigningKeys } from './keys.mjs';
import { avatarSvg } from './views.mjs';
import { createProvider, offlineAccessLikeScalekit, ROUTES } from './provider.mjs';
import {
  AUDIENCE_MODES,
  NONCE_MODES,
  PRODUCTS,
  createShapes,
  modularSubject,
  oneOf,
  orgChoices,
} from './shapes.mjs';
import { SESSION_DEFAULTS, createSessionRecords } from './sessions.mjs';
import { Store } from './store.mjs';
import {
  DEFAULT_RETRY_DELAYS_MS,
  createWebhooks,
  parseWebhookSecret,
  signWebhook,
} from './webhooks.mjs';
import { loadUsers, membershipOf, profileClaims } from './users.mjs';

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
 * A token issuer that differs from where the IdP is served (Scalekit custom auth domain).
 * @param {string} value @param {string} name
 */
function parseIssuer(value, name) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username)
    throw new Error(`${name} must be an http(s) URL without query, fragment or credentials`);
  // Scalekit's iss is the base URL exactly, with no trailing slash.
  return url.href.replace(/\/+$/, '');
}

/**
 * The `location` Scalekit would geolocate from the IP; loopback has none, so it is configured.
 * @param {string | undefined} value JSON like {"city":"Berlin","region":"DE"} @param {string} name
 * @returns {import('./device.mjs').Location | undefined}
 */
function parseLocation(value, name) {
  if (!value) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`${name} must be JSON like {"city":"Berlin","region":"DE"}, got "${value}"`);
  }
  const keys = ['region', 'region_subdivision', 'city', 'latitude', 'longitude'];
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Object.entries(parsed).some(([k, v]) => !keys.includes(k) || typeof v !== 'string')
  )
    throw new Error(`${name} may only have string fields ${keys.join(', ')}`);
  return parsed;
}

/**
 * Listens on loopback only: 127.0.0.1 and, when the machine has IPv6, ::1 on the same port,
 * because clients resolve "localhost" to either. An explicit host (LOCAL_IDP_HOST, e.g. 0.0.0.0
 * in a container) listens there alone.
 * @param {number} port @param {string | undefined} host
 * @returns {Promise<{ servers: http.Server[], port: number }>}
 */
async function listen(port, host) {
  const listenOn = async (/** @type {number} */ p, /** @type {string} */ h) => {
    const server = http.createServer();
    // Clients (Node's global agent, axios in the SDK) drop idle keep-alive sockets after ~5 s;
    // the server must outlast that, or a request can race the server closing the socket.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.listen({ port: p, host: h });
    await once(server, 'listening');
    return server;
  };
  if (host) {
    const server = await listenOn(port, host);
    return {
      servers: [server],
      port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    };
  }
  for (let attempt = 0; ; attempt++) {
    const v4 = await listenOn(port, '127.0.0.1');
    const bound = /** @type {import('node:net').AddressInfo} */ (v4.address()).port;
    try {
      return { servers: [v4, await listenOn(bound, '::1')], port: bound };
    } catch (err) {
      const code = /** @type {NodeJS.ErrnoException} */ (err).code;
      // No IPv6 loopback on this machine: 127.0.0.1 alone is all "localhost" can mean.
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')
        return { servers: [v4], port: bound };
      v4.close();
      // A free IPv4 port can be taken on ::1; with port 0, just pick another.
      if (code === 'EADDRINUSE' && port === 0 && attempt < 5) continue;
      throw new Error(
        `port ${bound} is free on 127.0.0.1 but not on ::1 (${code}); stop whatever listens on [::1]:${bound} or set LOCAL_IDP_PORT`,
      );
    }
  }
}

/**
 * @typedef {object} LocalIdpOptions
 * @property {number} [port]            LOCAL_IDP_PORT, default 8787; 0 picks a free port.
 * @property {string} [host]            LOCAL_IDP_HOST; default loopback only (127.0.0.1 and ::1).
 * @property {'omit' | 'echo'} [nonce]  LOCAL_IDP_NONCE, default omit (no nonce in ID tokens).
 * @property {'array' | 'string'} [audience]  LOCAL_IDP_AUD, default array ([client_id]).
 * @property {string} [issuer]          LOCAL_IDP_ISSUER: token iss when not the served URL.
 * @property {'fsa' | 'modular'} [product]  LOCAL_IDP_PRODUCT, default fsa.
 * @property {string} [accessTokenAudience]  LOCAL_IDP_ACCESS_TOKEN_AUD: access-token aud value
 *   instead of the client id (D-claims shows an API URL there).
 * @property {number} [accessTokenTtl]  LOCAL_IDP_ACCESS_TOKEN_TTL seconds, default 300.
 * @property {string} [appUrl]          APP_URL, default http://localhost:3000.
 * @property {string} [clientId]        SCALEKIT_CLIENT_ID, default skc_local_dev.
 * @property {string} [clientSecret]    SCALEKIT_CLIENT_SECRET.
 * @property {string} [dataDir]         LOCAL_IDP_DATA_DIR, default <repo>/.local-idp.
 * @property {string} [usersFile]       LOCAL_IDP_USERS, default local-idp/users.json.
 * @property {import('./control.mjs').TokenFault} [fault]  LOCAL_IDP_FAULT, default none.
 * @property {boolean} [persist]        Keep sessions/tokens in <dataDir>/store.json (LOCAL_IDP_PERSIST=0 disables).
 * @property {number} [sessionIdleTimeout]  LOCAL_IDP_SESSION_IDLE_TIMEOUT seconds, default 7 days.
 * @property {number} [sessionAbsoluteTimeout]  LOCAL_IDP_SESSION_ABSOLUTE_TIMEOUT seconds, default 30 days.
 * @property {import('./device.mjs').Location} [sessionLocation]  LOCAL_IDP_SESSION_LOCATION (JSON).
 * @property {string} [webhookUrl]      LOCAL_IDP_WEBHOOK_URL: where user.login/user.logout go.
 * @property {string} [webhookSecret]   LOCAL_IDP_WEBHOOK_SECRET: whsec_<base64> signing secret.
 * @property {number[]} [webhookRetryDelays]  LOCAL_IDP_WEBHOOK_RETRY_DELAYS: ms between attempts.
 * @property {string} [environmentId]   LOCAL_IDP_ENVIRONMENT_ID: webhook environment_id (env_…).
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
  const host = options.host ?? (env.LOCAL_IDP_HOST || undefined);
  const sessionIdleTimeout =
    options.sessionIdleTimeout ??
    positiveInt(
      env.LOCAL_IDP_SESSION_IDLE_TIMEOUT,
      SESSION_DEFAULTS.idleTimeout,
      'LOCAL_IDP_SESSION_IDLE_TIMEOUT',
    );
  const sessionAbsoluteTimeout =
    options.sessionAbsoluteTimeout ??
    positiveInt(
      env.LOCAL_IDP_SESSION_ABSOLUTE_TIMEOUT,
      SESSION_DEFAULTS.absoluteTimeout,
      'LOCAL_IDP_SESSION_ABSOLUTE_TIMEOUT',
    );
  const webhookRetryDelays =
    options.webhookRetryDelays ??
    (env.LOCAL_IDP_WEBHOOK_RETRY_DELAYS
      ? env.LOCAL_IDP_WEBHOOK_RETRY_DELAYS.split(',').map((v) =>
          positiveInt(v.trim(), 0, 'LOCAL_IDP_WEBHOOK_RETRY_DELAYS', { allowZero: true }),
        )
      : DEFAULT_RETRY_DELAYS_MS);
  const environmentId =
    options.environmentId ?? (env.LOCAL_IDP_ENVIRONMENT_ID || 'env_01HLOCAL0000000000000001');
  const sessionLocation =
    options.sessionLocation ??
    parseLocation(env.LOCAL_IDP_SESSION_LOCATION, 'LOCAL_IDP_SESSION_LOCATION');
  /** @type {import('./shapes.mjs').Variant} */
  const variant = {
    nonce: oneOf(options.nonce ?? (env.LOCAL_IDP_NONCE || 'omit'), NONCE_MODES, 'LOCAL_IDP_NONCE'),
    audience: oneOf(
      options.audience ?? (env.LOCAL_IDP_AUD || 'array'),
      AUDIENCE_MODES,
      'LOCAL_IDP_AUD',
    ),
    product: oneOf(
      options.product ?? (env.LOCAL_IDP_PRODUCT || 'fsa'),
      PRODUCTS,
      'LOCAL_IDP_PRODUCT',
    ),
    accessTokenAudience:
      options.accessTokenAudience ?? (env.LOCAL_IDP_ACCESS_TOKEN_AUD || undefined),
  };
  const rawIssuer = options.issuer ?? (env.LOCAL_IDP_ISSUER || undefined);
  const customIssuer = rawIssuer ? parseIssuer(rawIssuer, 'LOCAL_IDP_ISSUER') : undefined;
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
  const sessions = createSessionRecords({
    store,
    idleTimeout: sessionIdleTimeout,
    absoluteTimeout: sessionAbsoluteTimeout,
    location: sessionLocation,
    log,
  });
  const webhooks = createWebhooks({
    url: options.webhookUrl ?? (env.LOCAL_IDP_WEBHOOK_URL || undefined),
    secret: options.webhookSecret ?? (env.LOCAL_IDP_WEBHOOK_SECRET || undefined),
    environmentId,
    retryDelaysMs: webhookRetryDelays,
    users,
    log,
  });
  sessions.on((type, record) => webhooks.onSessionEvent(type, record));

  /**
   * A hand-made webhook delivery (tests): see webhooks.send; `sessionId` builds the body from
   * that session's record.
   * @param {Record<string, any>} shot
   */
  async function sendWebhook(shot = {}) {
    const { sessionId, ...rest } = shot;
    const sessionRecord = sessionId ? sessions.get(String(sessionId)) : undefined;
    if (sessionId && !sessionRecord) throw new Error(`no session ${sessionId}`);
    return webhooks.send({ ...rest, sessionRecord });
  }

  /**
   * "Revoked in the Scalekit dashboard".
   * @param {{ session_id?: unknown, user_id?: unknown }} body @returns {[number, unknown]}
   */
  function dashboardRevoke(body) {
    if (typeof body.session_id === 'string') {
      const before = sessions.get(body.session_id);
      if (!before) return [404, { error: 'session not found' }];
      const after = sessions.revoke(body.session_id);
      return [200, { revoked: before.status === 'active' ? [after] : [] }];
    }
    if (typeof body.user_id === 'string') {
      if (!users.byId(body.user_id)) return [404, { error: 'user not found' }];
      return [200, { revoked: sessions.revokeAll(body.user_id) }];
    }
    throw new Error('send {"session_id": "ses_…"} or {"user_id": "usr_…"}');
  }

  const { servers, port: boundPort } = await listen(port, host);
  // Always "localhost": it is the URL the app and SDK are configured with, whichever interface a
  // request arrives on. The token issuer is the same unless a custom one is set.
  const servedUrl = `http://localhost:${boundPort}`;
  const issuer = customIssuer ?? servedUrl;
  const choices = orgChoices(store);
  const shapes = createShapes({
    variant,
    clientId,
    users,
    choices,
    privateJwks: () => signingKeys.privateJwks(),
    servedUrl,
    tokenPath: ROUTES.token,
  });

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
    port: boundPort,
    initialFault,
    log,
    rotateSigningKey: () => rotateSigningKey(),
    setAccessTokenTtl: (seconds) => setAccessTokenTtl(seconds),
    idpInitiatedLoginUrl: (query) => idpInitiated.loginUrl(query),
    routes: {
      'GET /__control/sessions': (_body, query) => [
        200,
        {
          sessions: query.get('user_id')
            ? sessions.listForUser(String(query.get('user_id')))
            : sessions.all(),
        },
      ],
      'POST /__control/sessions/revoke': dashboardRevoke,
      'GET /__control/webhook': () => [
        200,
        { ...webhooks.status(), deliveries: webhooks.deliveries() },
      ],
      'POST /__control/webhook': (body) => [
        200,
        webhooks.configure({ url: body.url, secret: body.secret }),
      ],
      'POST /__control/webhook/send': async (body) => {
        const { session_id: sessionId, ...rest } = body;
        return [200, await sendWebhook({ ...rest, sessionId })];
      },
    },
  });

  /**
   * Sessions past their idle or absolute expiry end before a sign-in or refresh can use them.
   * @param {any} ctx @param {() => Promise<void>} next
   */
  async function expireSessionsFirst(ctx, next) {
    if (ctx.path === ROUTES.token || ctx.path === ROUTES.authorization) sessions.sweep();
    return next();
  }

  /** Feeds oidc-provider's events into the session records. @param {import('oidc-provider').default} p */
  function recordSessions(p) {
    p.on('authorization.success', (/** @type {any} */ ctx) => {
      const { session, client: requesting } = ctx.oidc;
      const sid = session?.sidFor(requesting.clientId);
      const user = session?.accountId ? users.byId(session.accountId) : undefined;
      if (!sid || !user) return;
      const grantId = session.grantIdFor(requesting.clientId);
      sessions.authorized({
        sid,
        userId: user.id,
        clientId: requesting.clientId,
        grantId,
        organizationId: membershipOf(user, choices.get(grantId)).organization_id,
        userAgent: ctx.get('user-agent') || undefined,
        ip: ctx.req.socket.remoteAddress ?? '',
      });
    });
    p.on('grant.success', (/** @type {any} */ ctx) => {
      const sid = ctx.oidc.entities?.RefreshToken?.sid;
      if (ctx.oidc.params?.grant_type === 'refresh_token' && sid) sessions.refreshed(sid);
    });
    p.on('end_session.success', (/** @type {any} */ ctx) => {
      const authorizations = ctx.oidc.session?.authorizations ?? {};
      sessions.loggedOut(
        Object.values(authorizations)
          .map((a) => a?.sid)
          .filter(Boolean),
      );
    });
  }

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
      servedUrl,
      shapes,
      middleware: [
        offlineAccessLikeScalekit(variant.product),
        control.tokenEndpointGuard,
        expireSessionsFirst,
      ],
      log,
    });
    recordSessions(provider);
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

  const handleInteraction = createInteractionHandler({
    getProvider: () => provider,
    users,
    choices,
    log,
  });

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
        audience: variant.accessTokenAudience ?? clientId,
        algorithms: ['RS256'],
      });
      // Like Scalekit's, these access tokens are self-contained JWTs (oidc-provider does not store
      // them), so a token stays usable here until it expires, even after logout.
      const sub = String(payload.sub ?? '');
      const user =
        users.byId(sub) ??
        users.all.find((u) =>
          u.memberships.some((m) => {
            const org = users.organization(m.organization_id);
            return org !== undefined && modularSubject(u, org) === sub;
          }),
        );
      if (!user) return fail('invalid_token', 'access token subject is unknown');
      // Modular SSO access tokens carry no scope; they were issued for openid profile email.
      const scopes = new Set(String(payload.scope ?? 'openid profile email').split(' '));
      const all = profileClaims(user, servedUrl);
      const body = {
        sub,
        oid:
          typeof payload.oid === 'string'
            ? payload.oid
            : membershipOf(user, undefined).organization_id,
        ...(scopes.has('profile') && {
          name: all.name,
          given_name: all.given_name,
          family_name: all.family_name,
          ...(all.picture && { picture: all.picture }),
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

  /** Seeded users' avatars, served here because the IdP has no internet to point at. */
  const AVATAR_PATH = /^\/avatars\/(usr_[A-Za-z0-9]{1,64})\.svg$/;
  /** @param {string} pathname @param {http.ServerResponse} res */
  function handleAvatar(pathname, res) {
    const user = users.byId(AVATAR_PATH.exec(pathname)?.[1] ?? '');
    if (!user) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such avatar');
      return;
    }
    res.writeHead(200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=3600',
      // Security: an SVG opened directly must not run anything.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
    });
    res.end(avatarSvg(user));
  }

  /**
   * Security: only this client's client_credentials token opens the management API; a user's
   * access token (sub usr_…) never does.
   * @param {string | null} authorization
   */
  async function isManagementToken(authorization) {
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return false;
    try {
      const { payload } = await jwtVerify(match[1], createLocalJWKSet(signingKeys.publicJwks()), {
        issuer,
        algorithms: ['RS256'],
      });
      return payload.sub === clientId && payload.client_id === clientId && !('sid' in payload);
    } catch {
      return false;
    }
  }

  const grpcHandler = createSessionService({
    sessions,
    userExists: (userId) => users.byId(userId) !== undefined,
    authorize: isManagementToken,
    log,
  });
  const h2c = servers.map((server) => serveH2cAlongside(server, grpcHandler));

  /** @type {http.RequestListener} */
  const onRequest = async (req, res) => {
    try {
      if (await control.handle(req, res)) return;
      if (await handleInteraction(req, res)) return;
      const { pathname } = new URL(req.url ?? '/', servedUrl);
      if (pathname === ROUTES.userinfo && (req.method === 'GET' || req.method === 'POST')) {
        await handleUserinfo(req, res);
        return;
      }
      if (pathname.startsWith('/avatars/') && req.method === 'GET') {
        handleAvatar(pathname, res);
        return;
      }
      providerCallback(req, res);
    } catch (err) {
      log(`request failed: ${/** @type {Error} */ (err).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('local IdP error');
    }
  };
  for (const server of servers) server.on('request', onRequest);

  let closing;
  return {
    url: servedUrl,
    issuer,
    port: boundPort,
    variant: { ...variant },
    /** Addresses actually listened on (loopback only unless a host was given). */
    addresses: servers.map(
      (server) => /** @type {import('node:net').AddressInfo} */ (server.address()).address,
    ),
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
    /** Session records (snake_case, times in epoch ms), newest first; one user's with `userId`. */
    listSessions: (/** @type {string | undefined} */ userId) =>
      userId ? sessions.listForUser(userId) : sessions.all(),
    getSession: (/** @type {string} */ sid) => sessions.get(sid),
    /** "Revoked in the Scalekit dashboard": as RevokeSession, user.logout webhook included. */
    revokeSession: (/** @type {string} */ sid) => sessions.revoke(sid),
    /** As RevokeAllUserSessions: the user's active sessions only. */
    revokeAllUserSessions: (/** @type {string} */ userId) => sessions.revokeAll(userId),
    /** Points webhooks somewhere else (or, with url null, turns them off). */
    configureWebhook: webhooks.configure,
    /** Deliveries so far (id, type, url, state, attempts), oldest first. */
    webhookDeliveries: webhooks.deliveries,
    /** Resolves when every delivery attempt started so far has finished. */
    webhooksSettled: webhooks.settled,
    sendWebhook,
    /**
     * The three Standard Webhooks headers for a body, as the IdP would sign it.
     * @param {{ id: string, timestamp: number | string, body: string, secret?: string }} message
     */
    signWebhook({ id, timestamp, body, secret }) {
      const key = secret ? parseWebhookSecret(secret, 'secret') : webhooks.key();
      if (!key) throw new Error('no webhook secret configured; pass secret');
      return {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(key, id, timestamp, body),
      };
    },
    /** An `idp_initiated_login` token as Scalekit sends it to the Initiate Login URL. */
    mintIdpInitiatedLoginToken: idpInitiated.mint,
    /** Stops listening, drops open (including deliberately hung) connections, saves the store. */
    close() {
      closing ??= (async () => {
        const closed = servers.map((server) => once(server, 'close'));
        for (const server of servers) {
          server.close();
          server.closeAllConnections();
        }
        for (const served of h2c) served.close();
        webhooks.close();
        await Promise.all(closed);
        store.flush();
      })();
      return closing;
    },
  };
}

async function main() {
  const idp = await startLocalIdp();
  console.log(`Local IdP (Scalekit-compatible) listening on ${idp.url}`);
  const { nonce, audience, product } = idp.variant;
  console.log(
    `  issuer ${idp.issuer}, product ${product}, nonce ${nonce}, aud ${audience}` +
      (idp.variant.accessTokenAudience
        ? `, access-token aud ${idp.variant.accessTokenAudience}`
        : ''),
  );

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
