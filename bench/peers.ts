import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, type JSONWebKeySet } from 'jose';
import { NextRequest, NextResponse } from 'next/server';
import { getConfig } from '@/lib/server/config';
import {
  openAccessCookie,
  openIdCookie,
  openRefreshCookie,
  sessionFromCookies,
  type UserProfile,
} from '@/lib/server/session/session';
import { clearSessionMemo } from '@/lib/server/testing';
import { signInThroughRoutes, USERS } from '@/tests/helpers/routes';

/**
 * The peers' per-request session checks for `npm run bench`, each through the peer's own
 * published package on a session equivalent to ours: the same user and the very tokens our
 * bench session holds (access, ID and refresh token from the local IdP), sealed into the peer's
 * cookie by the peer's own seal/encrypt function, and read back through the export an app calls
 * on every request, on a real NextRequest. Nothing is re-implemented here.
 *
 * - AuthKit (@workos-inc/authkit-nextjs): `authkit(request)`, the session step of its middleware
 *   (iron-session unseal of `wos-session`, then jose `jwtVerify` of the access token against the
 *   JWKS). Its JWKS URL is WorkOS's `/sso/jwks/<clientId>`; here a loopback server answers it
 *   with the local IdP's keys, so the token our IdP signed verifies and nothing leaves the machine.
 * - Auth0 (@auth0/nextjs-auth0 v4): `Auth0Client.getSession(request)` with its default stateless
 *   store (a JWE `__session` cookie), the cookie built by the package's own generateSessionCookie.
 * - Auth.js (next-auth v5 beta): `auth(handler)(request)`, the middleware form of the app's
 *   `auth()` (the same internal session action as `auth()` in a Server Component), with a JWT
 *   session built by `next-auth/jwt`'s encode under the cookie name as salt, as Auth.js does.
 */

export const PEERS = ['authkit', 'auth0', 'authjs'] as const;
export type Peer = (typeof PEERS)[number];

/**
 * What each peer checks on a request. `verifiesAccessToken`: the peer checks the access token's
 * signature and expiry itself, as we do (the cold goal compares only with these).
 */
export const PEER_INFO: Record<
  Peer,
  { name: string; label: string; verifiesAccessToken: boolean }
> = {
  authkit: { name: 'AuthKit', label: 'AuthKit (authkit-nextjs 4)', verifiesAccessToken: true },
  auth0: { name: 'Auth0', label: 'Auth0 (nextjs-auth0 4)', verifiesAccessToken: false },
  authjs: { name: 'Auth.js', label: 'Auth.js (next-auth 5 beta)', verifiesAccessToken: false },
};

/** The session our bench measures, in the plain form every peer's cookie is built from. */
export type BenchSession = {
  /** Our sealed cookies, by name, as the browser sends them. */
  ours: Record<string, string>;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  profile: UserProfile;
  sub: string;
};

export async function benchSession(): Promise<BenchSession> {
  const { session } = await signInThroughRoutes(USERS.alice);
  const access = await openAccessCookie(session.sk_access_token);
  const id = await openIdCookie(session.sk_id_token);
  const refresh = await openRefreshCookie(session.sk_refresh_token);
  if (!access || !id || !refresh) throw new Error('could not open the session cookies just issued');
  return {
    ours: session,
    accessToken: access.at,
    idToken: id.it,
    refreshToken: refresh.rt,
    profile: access.u,
    sub: decodeJwt(access.at).sub ?? '',
  };
}

/** One peer: a cookie builder (the peer's own seal) and its per-request check on a request. */
export type PeerCheck = {
  cookieName: string;
  /**
   * A freshly sealed cookie value for the session (new IV/salt each time); `accessToken`
   * replaces the session's token (the spec seals a forged one to see who notices).
   */
  seal(accessToken?: string): Promise<string>;
  /** The peer's check on a request carrying `cookie`: the session's user id, or null. */
  check(request: NextRequest): Promise<string | null>;
};

export type Peers = Record<Peer, PeerCheck> & {
  /** A GET of the app's /dashboard carrying one cookie, as the browser would send it. */
  request(cookieName: string, value: string): NextRequest;
  /** Calls AuthKit made to the WorkOS API other than for its JWKS: refresh attempts. */
  authkitRefreshCalls(): number;
  close(): Promise<void>;
};

// A 32-byte-plus password for each peer: each one's own documented minimum.
const PEER_SECRET = 'bench-peer-secret-0123456789abcdef0123456789abcdef';

/**
 * The loopback stand-in for the WorkOS API: its JWKS route answers with the local IdP's keys;
 * anything else (AuthKit refreshing a token it could not verify) is counted and refused.
 */
function serveWorkosApi(jwks: JSONWebKeySet) {
  const body = JSON.stringify(jwks);
  const counts = { otherCalls: 0 };
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/sso/jwks/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else {
      counts.otherCalls++;
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
    }
  });
  return new Promise<{ server: Server; counts: typeof counts }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, counts })),
  );
}

/**
 * Builds the three peers for `session`. AuthKit reads its configuration from process.env when
 * its module loads, so it is imported only after the loopback JWKS server is listening; call
 * this once per process.
 */
export async function createPeers(session: BenchSession): Promise<Peers> {
  const { envUrl, clientId, clientSecret } = getConfig().scalekit;
  // The bench runs with APP_URL set (tests/setup/env.ts); the peers need one origin to serve.
  const appUrl = getConfig().appUrl ?? 'http://127.0.0.1:3000';
  const jwks = (await (await fetch(`${envUrl}/keys`)).json()) as JSONWebKeySet;
  const { server: workosApi, counts } = await serveWorkosApi(jwks);
  const port = (workosApi.address() as AddressInfo).port;

  Object.assign(process.env, {
    WORKOS_API_HOSTNAME: '127.0.0.1',
    WORKOS_API_HTTPS: 'false',
    WORKOS_API_PORT: String(port),
    WORKOS_API_KEY: 'sk_test_bench',
    WORKOS_CLIENT_ID: clientId,
    WORKOS_COOKIE_PASSWORD: PEER_SECRET,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: `${appUrl}/callback`,
  });
  const { authkit } = await import('@workos-inc/authkit-nextjs');
  const { sealData } = await import('iron-session');
  const { Auth0Client } = await import('@auth0/nextjs-auth0/server');
  const { generateSessionCookie } = await import('@auth0/nextjs-auth0/testing');
  const { default: NextAuth } = await import('next-auth');
  const { encode } = await import('next-auth/jwt');

  const { profile, sub } = session;
  const claims = decodeJwt(session.accessToken);
  const now = Math.floor(Date.now() / 1000);

  // AuthKit's session is what its callback seals: tokens plus a WorkOS User object.
  const workosUser = {
    object: 'user',
    id: sub,
    email: profile.email ?? '',
    emailVerified: profile.emailVerified ?? false,
    firstName: profile.givenName ?? null,
    lastName: profile.familyName ?? null,
    profilePictureUrl: profile.picture ?? null,
    lastSignInAt: new Date(now * 1000).toISOString(),
    createdAt: new Date(now * 1000).toISOString(),
    updatedAt: new Date(now * 1000).toISOString(),
    externalId: null,
    metadata: {},
  };
  const authkitPeer: PeerCheck = {
    cookieName: 'wos-session',
    // The same call as authkit-nextjs's own encryptSession().
    seal: (accessToken = session.accessToken) =>
      sealData(
        { accessToken, refreshToken: session.refreshToken, user: workosUser },
        { password: PEER_SECRET, ttl: 0 },
      ),
    async check(request) {
      const { session: s } = await authkit(request);
      return s.user?.id ?? null;
    },
  };

  // getSession() never contacts the tenant (only login and token calls do), so its domain is a
  // name that cannot resolve: a stray discovery call would fail the bench, not leave the machine.
  const auth0 = new Auth0Client({
    domain: 'tenant.bench.invalid',
    clientId,
    clientSecret,
    appBaseUrl: appUrl,
    secret: PEER_SECRET,
  });
  // What nextjs-auth0's callback stores: the ID token's claims as `user`, and the token set.
  const auth0Session = {
    user: {
      sub,
      email: profile.email,
      email_verified: profile.emailVerified,
      name: profile.name,
      given_name: profile.givenName,
      family_name: profile.familyName,
      picture: profile.picture,
      org_id: typeof claims.oid === 'string' ? claims.oid : undefined,
    },
    tokenSet: {
      accessToken: session.accessToken,
      idToken: session.idToken,
      refreshToken: session.refreshToken,
      expiresAt: claims.exp ?? now + 300,
      scope: 'openid profile email offline_access',
    },
    internal: { sid: String(claims.sid ?? 'bench'), createdAt: now },
  };
  const auth0Peer: PeerCheck = {
    cookieName: '__session',
    seal: (accessToken = session.accessToken) => {
      const s = structuredClone(auth0Session);
      s.tokenSet.accessToken = accessToken;
      return generateSessionCookie(s, { secret: PEER_SECRET });
    },
    async check(request) {
      const s = await auth0.getSession(request);
      return typeof s?.user.sub === 'string' ? s.user.sub : null;
    },
  };

  // Auth.js with the JWT strategy and the token fields its refresh-token guide keeps.
  const authjsCookie = 'authjs.session-token';
  const { auth } = NextAuth({
    secret: PEER_SECRET,
    trustHost: true,
    session: { strategy: 'jwt' },
    providers: [],
    // A tampered cookie is an expected outcome here, not an error to print.
    logger: { error: () => {}, warn: () => {}, debug: () => {} },
    callbacks: {
      session: ({ session: s, token }) => ({ ...s, user: { ...s.user, id: token.sub ?? '' } }),
    },
  });
  const authjsToken = {
    sub,
    name: profile.name,
    email: profile.email,
    picture: profile.picture,
    access_token: session.accessToken,
    refresh_token: session.refreshToken,
    expires_at: claims.exp,
  };
  let lastAuth: unknown;
  const authjsMiddleware = auth((req) => {
    lastAuth = req.auth;
    return NextResponse.next();
  });
  const authjsPeer: PeerCheck = {
    cookieName: authjsCookie,
    seal: (accessToken = session.accessToken) =>
      encode({
        token: { ...authjsToken, access_token: accessToken },
        secret: PEER_SECRET,
        salt: authjsCookie,
      }),
    async check(request) {
      lastAuth = undefined;
      await (authjsMiddleware as unknown as (req: NextRequest, ev: unknown) => Promise<Response>)(
        request,
        {},
      );
      const user = (lastAuth as { user?: { id?: string } } | null | undefined)?.user;
      return user?.id ?? null;
    },
  };

  return {
    authkit: authkitPeer,
    auth0: auth0Peer,
    authjs: authjsPeer,
    // With the headers Next's server adds to every request it hands to middleware and routes.
    request: (cookieName, value) =>
      new NextRequest(new URL('/dashboard', appUrl), {
        headers: {
          host: new URL(appUrl).host,
          'x-forwarded-host': new URL(appUrl).host,
          'x-forwarded-proto': new URL(appUrl).protocol.slice(0, -1),
          cookie: `${cookieName}=${value}`,
        },
      }),
    authkitRefreshCalls: () => counts.otherCalls,
    close: () => new Promise((resolve) => workosApi.close(() => resolve())),
  };
}

/** Our check on the same session, as bench/micro.ts measures it. */
export function ourChecks(session: BenchSession) {
  const cookies = {
    getAll: () =>
      Object.entries(session.ours).map(([name, value]) => ({ name, value: String(value) })),
  };
  return {
    cold: () => {
      clearSessionMemo();
      return sessionFromCookies(cookies, { secure: false });
    },
    warm: () => sessionFromCookies(cookies, { secure: false }),
  };
}
