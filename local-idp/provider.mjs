// oidc-provider configured to look like a Scalekit environment to @scalekit-sdk/node.
// Each non-default setting says which Scalekit behaviour it reproduces.
import { randomBytes } from 'node:crypto';

import Provider, { errors, interactionPolicy } from 'oidc-provider';

import { profileClaims } from './users.mjs';
import {
  renderErrorPage,
  renderLogoutPage,
  renderSignedOutPage,
  PAGE_CSP,
  LOGOUT_PAGE_CSP,
} from './views.mjs';

// Scalekit's paths, as used by @scalekit-sdk/node (scalekit.js / core.js).
export const ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  jwks: '/keys',
  end_session: '/oidc/logout',
  revocation: '/oauth/revoke',
  userinfo: '/userinfo',
};

// Params getAuthorizationUrl() may send beyond core OIDC; declaring them keeps them on the
// interaction so the login page can show them.
const EXTRA_PARAMS = ['organization_id', 'connection_id', 'domain_hint', 'domain', 'provider'];

// Prompts Scalekit accepts beyond login/consent. Both just show the hosted login form here.
export const FORM_PROMPTS = ['create', 'select_account'];

const SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** Lifetime of a client_credentials (management API) token, seconds. */
export const CLIENT_TOKEN_TTL = 24 * 60 * 60;

/** Scalekit-shaped session id (ses_…) for the `sid` claim. */
const newSessionId = () => `ses_${randomBytes(12).toString('hex')}`;

/**
 * @param {{
 *   issuer: string,
 *   jwks: { keys: object[] },
 *   cookieKeys: string[],
 *   adapter: (model: string) => object,
 *   users: import('./users.mjs').UserDirectory,
 *   client: { clientId: string, clientSecret: string, redirectUris: string[], postLogoutRedirectUris: string[] },
 *   accessTokenTtl: number,
 *   servedUrl: string,
 *   shapes: ReturnType<typeof import('./shapes.mjs').createShapes>,
 *   middleware: Array<(ctx: any, next: () => Promise<void>) => Promise<void>>,
 *   log: (line: string) => void,
 * }} options
 */
export function createProvider({
  issuer,
  jwks,
  cookieKeys,
  adapter,
  users,
  client,
  accessTokenTtl,
  servedUrl,
  shapes,
  middleware,
  log,
}) {
  // The access token's audience is the client id, as in Scalekit tokens; the resource indicator
  // itself is only oidc-provider's handle for "issue a JWT".
  const apiResource = `${issuer}/`;

  const policy = interactionPolicy.base();
  for (const name of FORM_PROMPTS) {
    policy.add(new interactionPolicy.Prompt({ name, requestable: true }), 0);
  }

  const provider = new Provider(issuer, {
    adapter,
    jwks,
    routes: ROUTES,
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        client_name: 'Local app',
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        // client_credentials: the SDK's token for the management API (Sessions), only for
        // this confidential client.
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        response_types: ['code'],
        // The SDK sends client_id + client_secret in the form body.
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    clientBasedCORS: () => false,
    // Scalekit's hosted login is a code-flow-only authorization server.
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    cookies: {
      keys: cookieKeys,
      // Browsers share cookies across ports, so the app on localhost:3000 and the IdP on
      // localhost:8787 see each other's cookies; distinctive names avoid collisions.
      names: {
        session: 'local_idp_session',
        interaction: 'local_idp_interaction',
        resume: 'local_idp_interaction_resume',
      },
    },
    scopes: SCOPES,
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'picture'],
      email: ['email', 'email_verified'],
    },
    extraParams: EXTRA_PARAMS,
    // Served by server.mjs (see features.userinfo below) but advertised like Scalekit's. The
    // served URL, not the issuer: with a custom issuer (LOCAL_IDP_ISSUER) only the iss differs.
    discovery: { userinfo_endpoint: `${servedUrl}${ROUTES.userinfo}` },
    // Scalekit ID tokens carry the profile/email claims even though an access token is issued.
    conformIdTokenClaims: false,
    interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Not part of the Scalekit surface the SDK uses; off keeps the local surface honest.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, revokingClient, token) =>
          token.clientId === revokingClient.clientId,
      },
      // oidc-provider's /userinfo only accepts opaque tokens without an audience; Scalekit's
      // tokens are JWTs for the client, so server.mjs serves /userinfo itself.
      userinfo: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.set('content-security-policy', LOGOUT_PAGE_CSP);
          ctx.body = renderLogoutPage(form);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.set('content-security-policy', PAGE_CSP);
          ctx.body = renderSignedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every authorization and refresh resolves to one resource whose tokens are JWTs, so
        // access tokens are always RS256 JWTs (oidc-provider's default is opaque).
        defaultResource: async () => apiResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource) => {
          if (resource !== apiResource) throw new errors.InvalidTarget();
          return {
            scope: SCOPES.join(' '),
            audience: client.clientId,
            accessTokenFormat: 'jwt',
            // D-apiauth: a client_credentials token lives a day (expires_in 86399).
            accessTokenTTL:
              ctx?.oidc?.params?.grant_type === 'client_credentials'
                ? CLIENT_TOKEN_TTL
                : accessTokenTtl,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // Scalekit's access-token claims (oid, sid, roles, permissions of the chosen organization).
    // Runs for refreshed tokens too, so they match.
    extraTokenClaims: shapes.extraAccessTokenClaims,
    formats: { customizers: { jwt: shapes.customizeAccessToken } },
    async findAccount(_ctx, sub) {
      const user = users.byId(sub);
      if (!user) return undefined;
      return { accountId: user.id, claims: async () => profileClaims(user, servedUrl) };
    },
    async loadExistingGrant(ctx) {
      const { session, client: requestingClient, result } = ctx.oidc;
      // oidc-provider mints a bare random sid right after this hook (ensureClientContainer);
      // seeding it first gives Scalekit's ses_… shape, stable for the session's lifetime.
      if (!session.sidFor(requestingClient.clientId))
        session.sidFor(requestingClient.clientId, newSessionId());
      const grantId = result?.consent?.grantId || session.grantIdFor(requestingClient.clientId);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // Scalekit rotates refresh tokens on every use. Reuse of a rotated token is handled by
    // oidc-provider itself: invalid_grant plus revocation of the whole grant (token family).
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: CLIENT_TOKEN_TTL,
      AuthorizationCode: 60,
      // Scalekit's FSA examples: ID token 1800 s (shapes.mjs sets the final exp per product).
      IdToken: 30 * 60,
      Interaction: 60 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.set('content-security-policy', PAGE_CSP);
      ctx.body = renderErrorPage(out);
    },
  });

  // oidc-provider only puts `sid` into codes, ID tokens and refresh tokens for clients registered
  // for back-channel logout; Scalekit always includes it, so always include it.
  provider.Client.prototype.includeSid = () => true;

  // oidc-provider's end_session looks the client up by the id_token_hint's `aud` as is; Scalekit's
  // ID tokens carry aud as an array ([client_id]), which must still be accepted at /oidc/logout.
  const findClient = provider.Client.find.bind(provider.Client);
  provider.Client.find = (/** @type {unknown} */ id, /** @type {any[]} */ ...rest) =>
    findClient(Array.isArray(id) && id.length === 1 ? id[0] : id, ...rest);

  for (const fn of middleware) provider.use(fn);
  provider.use(shapes.reshapeTokenResponse);

  // Koa logs unhandled errors with full stacks unless an 'error' listener exists; oidc-provider
  // reports through the events below. One concise line each, never token values.
  provider.on('error', (err) => log(`internal error: ${err?.message ?? err}`));
  provider.on('server_error', (_ctx, err) => log(`server_error: ${err?.message ?? err}`));
  for (const event of [
    'authorization.error',
    'grant.error',
    'end_session.error',
    'end_session_confirm.error',
    'revocation.error',
    'discovery.error',
    'jwks.error',
  ]) {
    provider.on(event, (_ctx, err) => {
      const detail = err?.error_detail ? ` (${err.error_detail})` : '';
      log(`${event}: ${err?.error ?? err?.message}${detail}`);
    });
  }
  provider.on('grant.success', (ctx) =>
    log(`token issued (grant_type=${ctx.oidc.params?.grant_type})`),
  );
  provider.on('end_session.success', () => log('IdP session ended (logout)'));

  return provider;
}

/**
 * Scalekit (Full Stack Auth) returns a refresh token whenever offline_access is requested. oidc-provider drops
 * offline_access unless the request also carries prompt=consent (checkScope in
 * actions/authorization/scopes.js), and no hook runs between parsing and that check. So this
 * middleware rewrites the authorization request before oidc-provider parses it, adding
 * prompt=consent; consent is then auto-granted without a screen (see interactions.mjs).
 * prompt=none cannot be combined with other values, so it is left alone.
 * Modular SSO does not support offline_access (D-msso): there the scope is dropped instead.
 * @param {'fsa' | 'modular'} product
 */
export function offlineAccessLikeScalekit(product) {
  /** @param {any} ctx @param {() => Promise<void>} next */
  return async function rewriteAuthorizationRequest(ctx, next) {
    if (ctx.path === ROUTES.authorization && ctx.method === 'GET') {
      const query = new URLSearchParams(ctx.querystring);
      // Duplicated params are left for oidc-provider to reject; rewriting would hide them.
      if (query.getAll('scope').length !== 1 || query.getAll('prompt').length > 1) return next();
      const scopes = (query.get('scope') ?? '').split(' ');
      const prompts = new Set((query.get('prompt') ?? '').split(' ').filter(Boolean));
      if (scopes.includes('offline_access') && product === 'modular') {
        query.set('scope', scopes.filter((s) => s !== 'offline_access').join(' '));
        ctx.querystring = query.toString();
      } else if (
        scopes.includes('offline_access') &&
        !prompts.has('none') &&
        !prompts.has('consent')
      ) {
        prompts.add('consent');
        query.set('prompt', [...prompts].join(' '));
        ctx.querystring = query.toString();
      }
    }
    return next();
  };
}
