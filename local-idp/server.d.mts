// Types for server.mjs, so TypeScript tests and tooling can import it.

export type TokenFault = 'none' | '503' | 'hang' | 'drop';

export interface LocalIdpOptions {
  /** LOCAL_IDP_PORT, default 8787. 0 picks a free port (read it back from `port`/`url`). */
  port?: number;
  /** LOCAL_IDP_HOST. Default: loopback only, 127.0.0.1 and (when available) ::1 on one port. */
  host?: string;
  /** LOCAL_IDP_NONCE: 'omit' (default, as every Scalekit example) or 'echo' the request's nonce. */
  nonce?: 'omit' | 'echo';
  /** LOCAL_IDP_AUD: `aud` as 'array' ([client_id], default) or 'string'. */
  audience?: 'array' | 'string';
  /** LOCAL_IDP_ISSUER: token `iss` and discovery `issuer` when not the served URL (custom domain). */
  issuer?: string;
  /** LOCAL_IDP_PRODUCT: 'fsa' (Full Stack Auth, default) or 'modular' (Modular SSO shapes). */
  product?: 'fsa' | 'modular';
  /** LOCAL_IDP_ACCESS_TOKEN_AUD: access-token `aud` value instead of the client id. */
  accessTokenAudience?: string;
  /** LOCAL_IDP_ACCESS_TOKEN_TTL in seconds, default 300. */
  accessTokenTtl?: number;
  /** APP_URL, default http://localhost:3000. Redirect URI is `${appUrl}/api/callback`. */
  appUrl?: string;
  /** SCALEKIT_CLIENT_ID, default skc_local_dev. */
  clientId?: string;
  /** SCALEKIT_CLIENT_SECRET, default local_dev_client_secret_do_not_use_in_prod. */
  clientSecret?: string;
  /** LOCAL_IDP_DATA_DIR, default <repo>/.local-idp (keys, cookie keys, store). */
  dataDir?: string;
  /** LOCAL_IDP_USERS, default local-idp/users.json. */
  usersFile?: string;
  /** LOCAL_IDP_FAULT: token endpoint fault at start, default 'none'. */
  fault?: TokenFault;
  /** Persist sessions/grants/tokens to <dataDir>/store.json. Default true (LOCAL_IDP_PERSIST=0 disables). */
  persist?: boolean;
  /** LOCAL_IDP_SESSION_IDLE_TIMEOUT seconds: a session with no sign-in/refresh this long expires. Default 7 days. */
  sessionIdleTimeout?: number;
  /** LOCAL_IDP_SESSION_ABSOLUTE_TIMEOUT seconds after creation a session expires. Default 30 days. */
  sessionAbsoluteTimeout?: number;
  /** LOCAL_IDP_SESSION_LOCATION (JSON): the `device.location` new sessions get (loopback has none). */
  sessionLocation?: SessionLocation;
  /** Log sink; false silences the IdP. Default: console.log with a [local-idp] prefix. */
  log?: false | ((line: string) => void);
}

export interface SessionLocation {
  region?: string;
  region_subdivision?: string;
  city?: string;
  latitude?: string;
  longitude?: string;
}

export type SessionStatus = 'active' | 'expired' | 'revoked' | 'logout';

/** One IdP session as the local IdP keeps it (snake_case like Scalekit's REST API; times in epoch ms). */
export interface SessionRecord {
  session_id: string;
  user_id: string;
  organization_id: string;
  authenticated_organizations: string[];
  authenticated_clients: { client_id: string; organization_id: string }[];
  device: {
    user_agent: string;
    os: string;
    os_version: string;
    browser: string;
    browser_version: string;
    device_type: 'desktop' | 'mobile' | 'tablet' | 'other';
    ip: string;
    location?: SessionLocation;
  };
  status: SessionStatus;
  created_at: number;
  updated_at: number;
  last_active_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  expired_at?: number;
  logout_at?: number;
  /** oidc-provider grants (refresh-token families) of this session. */
  grant_ids: string[];
}

export interface LocalIdpStats {
  /** POSTs to /oauth/token, faulted ones included. */
  tokenRequests: number;
  /** Of those, grant_type=refresh_token. */
  refreshRequests: number;
}

export interface LocalIdpVariant {
  nonce: 'omit' | 'echo';
  audience: 'array' | 'string';
  product: 'fsa' | 'modular';
  accessTokenAudience: string | undefined;
}

export interface LocalIdp {
  /** Where the IdP is served, the SDK's envUrl: http://localhost:<port>. */
  url: string;
  /** Token `iss` / discovery `issuer`: `url` unless a custom issuer was set. */
  issuer: string;
  port: number;
  /** The token-shape variant this IdP plays. */
  variant: LocalIdpVariant;
  /** Addresses listened on, e.g. ['127.0.0.1', '::1']. */
  addresses: string[];
  clientId: string;
  clientSecret: string;
  /** `${appUrl}/api/callback` */
  redirectUri: string;
  /** `${appUrl}/` */
  postLogoutRedirectUri: string;
  dataDir: string;
  /** Live counters (mutated in place). */
  stats: LocalIdpStats;
  resetStats(): void;
  getFault(): TokenFault;
  setFault(fault: TokenFault): void;
  /** New RS256 key signs from now on; older keys stay in /keys (up to 5 in total). */
  rotateSigningKey(): { kid: string; kids: string[] };
  currentKid(): string;
  /** Signs an `idp_initiated_login` JWT with the current key (documented claims, 300 s default). */
  mintIdpInitiatedLoginToken(claims?: {
    organization_id?: string;
    connection_id?: string;
    login_hint?: string;
    relay_state?: string;
    ttlSeconds?: number;
  }): Promise<string>;
  /** Session records, newest first; only `userId`'s when given. */
  listSessions(userId?: string): SessionRecord[];
  getSession(sessionId: string): SessionRecord | undefined;
  /**
   * "Revoked in the Scalekit dashboard": an active session becomes `revoked`, its refresh tokens
   * and hosted-login browser session die, a `user.logout` webhook goes out. An ended session is
   * returned unchanged; an unknown id gives undefined.
   */
  revokeSession(sessionId: string): SessionRecord | undefined;
  /** Revokes the user's active sessions (only those), as RevokeAllUserSessions. */
  revokeAllUserSessions(userId: string): SessionRecord[];
  /** Access tokens issued from now on live this many seconds (refresh included). */
  setAccessTokenTtl(seconds: number): number;
  /** Stops the server (hung connections included) and saves the store. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULTS: Readonly<{
  port: number;
  accessTokenTtl: number;
  appUrl: string;
  clientId: string;
  clientSecret: string;
  dataDir: string;
  usersFile: string;
}>;

export function startLocalIdp(options?: LocalIdpOptions): Promise<LocalIdp>;
