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
  /** LOCAL_IDP_WEBHOOK_URL: where user.login / user.logout deliveries go. Unset: none are sent. */
  webhookUrl?: string;
  /** LOCAL_IDP_WEBHOOK_SECRET: `whsec_<base64 of >= 16 bytes>`; required with a URL. */
  webhookSecret?: string;
  /** LOCAL_IDP_WEBHOOK_RETRY_DELAYS (ms, comma-separated): waits before each retry. Default 5000,30000,120000. */
  webhookRetryDelays?: number[];
  /** LOCAL_IDP_ENVIRONMENT_ID: the webhook envelope's `environment_id`. */
  environmentId?: string;
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

export interface WebhookDelivery {
  /** The event id (`webhook-id`), the same on every retry. */
  id: string;
  type: string;
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: { at: number; status?: number; error?: string }[];
}

/** A hand-made delivery: every part can be chosen, to play forged, stale, replayed or unsigned ones. */
export interface WebhookShot {
  /** Default: the configured URL. */
  url?: string;
  /** Default: a fresh evt_… (or the event's). */
  id?: string;
  /** Unix seconds. Default: now. */
  timestamp?: number | string;
  /** Raw body (string sent as is) or an object (JSON). Default: a user.logout event for `sessionId`. */
  body?: string | object;
  /** Builds the body from this session's record (see `type`). */
  sessionId?: string;
  type?: 'user.login' | 'user.logout';
  /** Sign with this secret instead of the configured one (a forger's). */
  secret?: string;
  /** Send this signature header as is; null sends none. */
  signature?: string | null;
}

export interface WebhookShotResult {
  id: string;
  timestamp: string;
  body: string;
  signature: string | undefined;
  /** The receiver's HTTP status, or `error` when it did not answer. */
  status?: number;
  error?: string;
  responseBody?: string;
  at: number;
}

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
  /** Sets (or with url null, clears) the webhook URL and/or secret at runtime. */
  configureWebhook(config: { url?: string | null; secret?: string | null }): {
    url: string | undefined;
    enabled: boolean;
  };
  /** Deliveries so far (kept: the last 200), oldest first. */
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves when every delivery attempt started so far has finished (not scheduled retries). */
  webhooksSettled(): Promise<void>;
  /** Sends one hand-made delivery now (single attempt, no retries) and reports the answer. */
  sendWebhook(shot?: WebhookShot): Promise<WebhookShotResult>;
  /** The Standard Webhooks headers for a body, signed with the configured secret or `secret`. */
  signWebhook(message: { id: string; timestamp: number | string; body: string; secret?: string }): {
    'webhook-id': string;
    'webhook-timestamp': string;
    'webhook-signature': string;
  };
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
