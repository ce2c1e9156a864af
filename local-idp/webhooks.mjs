// Scalekit's signed webhooks for session events: user.login when a session is created,
// user.logout when one ends (logout, revoke). Standard Webhooks signing exactly as the SDK's
// verifyWebhookPayload(secret, headers, rawBody) checks it: headers webhook-id, webhook-timestamp,
// webhook-signature "v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)>", the key being
// the base64 after "whsec_". Deliveries run in the background with bounded retries, never in
// the way of a sign-in.
import { createHmac, randomBytes } from 'node:crypto';

/** Scalekit: reply within 10 s (D-wh). */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** D-wh says both "up to 3" retries and 0, 5 s, 30 s, 2 m, …: the first three steps of that. */
export const DEFAULT_RETRY_DELAYS_MS = Object.freeze([5_000, 30_000, 120_000]);
const MAX_LOGGED_DELIVERIES = 200;
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/**
 * @param {string} secret @param {string} name
 * @returns {Buffer} the HMAC key
 */
export function parseWebhookSecret(secret, name = 'LOCAL_IDP_WEBHOOK_SECRET') {
  const m = SECRET.exec(secret);
  const key = m?.[1] ? Buffer.from(m[1], 'base64') : undefined;
  if (!key || key.length < 16)
    throw new Error(
      `${name} must be whsec_ followed by the base64 of at least 16 random bytes ` +
        `(e.g. whsec_${randomBytes(24).toString('base64')}), got something else`,
    );
  return key;
}

/** @param {string} url @param {string} name */
export function parseWebhookUrl(url, name = 'LOCAL_IDP_WEBHOOK_URL') {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${url}"`);
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password)
    throw new Error(`${name} must be an http(s) URL without credentials`);
  return parsed.href;
}

/**
 * The signature header value for one delivery.
 * @param {Buffer} key @param {string} id @param {number | string} timestamp @param {string} body
 */
export function signWebhook(key, id, timestamp, body) {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** RFC 3339 with nanoseconds, as Scalekit's occurred_at. @param {number} ms */
const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
/** @param {number | undefined} ms */
const rfc3339OrNull = (ms) => (ms === undefined ? null : rfc3339(ms));
const newEventId = () => `evt_${randomBytes(12).toString('hex')}`;

/**
 * @typedef {object} DeliveryAttempt
 * @property {number} at      epoch ms
 * @property {number} [status]  HTTP status, when the receiver answered
 * @property {string} [error]   network error or timeout
 *
 * @typedef {object} Delivery
 * @property {string} id       the event id (webhook-id), the same on every retry
 * @property {string} type
 * @property {string} url
 * @property {'pending' | 'delivered' | 'failed'} state
 * @property {DeliveryAttempt[]} attempts
 */

/**
 * @param {{
 *   url?: string,
 *   secret?: string,
 *   environmentId: string,
 *   retryDelaysMs?: readonly number[],
 *   users: import('./users.mjs').UserDirectory,
 *   log: (line: string) => void,
 * }} options
 */
export function createWebhooks({
  url: initialUrl,
  secret: initialSecret,
  environmentId,
  retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
  users,
  log,
}) {
  /** @type {{ url: string | undefined, secret: string | undefined, key: Buffer | undefined }} */
  const config = { url: undefined, secret: undefined, key: undefined };
  /** @type {Delivery[]} */
  const deliveries = [];
  /** @type {Set<Promise<void>>} */
  const inFlight = new Set();
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  const aborter = new AbortController();

  /** @param {{ url?: string | null, secret?: string | null }} next */
  function configure(next) {
    const url = next.url === undefined ? config.url : next.url || undefined;
    const secret = next.secret === undefined ? config.secret : next.secret || undefined;
    const key = secret ? parseWebhookSecret(secret) : undefined;
    if (url && !key)
      throw new Error(
        'LOCAL_IDP_WEBHOOK_URL is set but LOCAL_IDP_WEBHOOK_SECRET is not: set the secret ' +
          '(whsec_<base64>) the app verifies with (SCALEKIT_WEBHOOK_SECRET)',
      );
    Object.assign(config, { url: url ? parseWebhookUrl(url) : undefined, secret, key });
    return { url: config.url, enabled: Boolean(config.url) };
  }
  configure({ url: initialUrl, secret: initialSecret });

  /** @param {import('./sessions.mjs').SessionRecord} r */
  function sessionPayload(r) {
    const d = r.device;
    return {
      session_id: r.session_id,
      user_id: r.user_id,
      organization_id: r.organization_id,
      authenticated_organizations: r.authenticated_organizations,
      // The webhook examples spell these upper-case / capitalised (the API: lower-case).
      status: r.status.toUpperCase(),
      created_at: rfc3339(r.created_at),
      updated_at: rfc3339(r.updated_at),
      last_active_at: rfc3339(r.last_active_at),
      idle_expires_at: rfc3339(r.idle_expires_at),
      absolute_expires_at: rfc3339(r.absolute_expires_at),
      expired_at: rfc3339OrNull(r.expired_at),
      logout_at: rfc3339OrNull(r.logout_at),
      device: {
        user_agent: d.user_agent,
        os: d.os,
        os_version: d.os_version,
        browser: d.browser,
        browser_version: d.browser_version,
        device_type: d.device_type.charAt(0).toUpperCase() + d.device_type.slice(1),
        ip: d.ip,
        location: d.location ?? null,
      },
    };
  }

  /** @param {string} userId @param {number} now */
  function userPayload(userId, now) {
    const user = users.byId(userId);
    return {
      id: userId,
      email: user?.email ?? '',
      external_id: '',
      create_time: rfc3339(0),
      update_time: rfc3339(0),
      last_login_time: rfc3339(now),
      metadata: {},
      user_profile: {
        first_name: user?.given_name ?? '',
        last_name: user?.family_name ?? '',
        name: user?.name ?? '',
        email_verified: user?.email_verified ?? false,
        metadata: {},
      },
    };
  }

  /**
   * The documented envelope for a session event.
   * @param {'user.login' | 'user.logout'} type @param {import('./sessions.mjs').SessionRecord} record
   */
  function sessionEvent(type, record) {
    const now = Date.now();
    return {
      spec_version: '1',
      id: newEventId(),
      type,
      object: 'User',
      occurred_at: rfc3339(now),
      environment_id: environmentId,
      organization_id: record.organization_id,
      display_name: type === 'user.login' ? 'User Login' : 'User Logout',
      data: { user: userPayload(record.user_id, now), user_session: sessionPayload(record) },
    };
  }

  /**
   * One POST. Never throws: the outcome is the attempt record.
   * @param {{ url: string, id: string, timestamp: string, body: string, signature: string | undefined }} shot
   * @returns {Promise<DeliveryAttempt & { responseBody?: string }>}
   */
  async function post({ url, id, timestamp, body, signature }) {
    const at = Date.now();
    /** @type {Record<string, string>} */
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Scalekit-Webhooks (local IdP)',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
    };
    if (signature !== undefined) headers['webhook-signature'] = signature;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      const responseBody = (await res.text()).slice(0, 2048);
      return { at, status: res.status, responseBody };
    } catch (err) {
      const e = /** @type {Error} */ (err);
      return { at, error: e.name === 'TimeoutError' ? 'timeout' : e.message };
    }
  }

  /** @param {Delivery} delivery @param {string} body @param {number} attempt */
  async function attemptDelivery(delivery, body, attempt) {
    const key = config.key;
    if (!key) return;
    // Each attempt is signed with its own timestamp (Standard Webhooks); the id stays.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const result = await post({
      url: delivery.url,
      id: delivery.id,
      timestamp,
      body,
      signature: signWebhook(key, delivery.id, timestamp, body),
    });
    delivery.attempts.push({ at: result.at, status: result.status, error: result.error });
    if (result.status !== undefined && result.status >= 200 && result.status < 300) {
      delivery.state = 'delivered';
      log(`webhook ${delivery.type} ${delivery.id} delivered (HTTP ${result.status})`);
      return;
    }
    const delay = retryDelaysMs[attempt];
    if (delay === undefined || aborter.signal.aborted) {
      delivery.state = 'failed';
      log(`webhook ${delivery.type} ${delivery.id} failed after ${attempt + 1} attempts`);
      return;
    }
    log(
      `webhook ${delivery.type} ${delivery.id} attempt ${attempt + 1} failed (${result.status ?? result.error}); retrying in ${delay} ms`,
    );
    const timer = setTimeout(() => {
      timers.delete(timer);
      track(attemptDelivery(delivery, body, attempt + 1));
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  /** @param {Promise<void>} p */
  function track(p) {
    const done = p.catch((err) => log(`webhook delivery error: ${err?.message ?? err}`));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }

  /**
   * Queues one event for background delivery (no-op when no URL is configured).
   * @param {{ id: string, type: string }} event
   * @returns {Delivery | undefined}
   */
  function enqueue(event) {
    if (!config.url || !config.key) return undefined;
    /** @type {Delivery} */
    const delivery = {
      id: event.id,
      type: event.type,
      url: config.url,
      state: 'pending',
      attempts: [],
    };
    deliveries.push(delivery);
    if (deliveries.length > MAX_LOGGED_DELIVERIES) deliveries.shift();
    const body = JSON.stringify(event);
    // Off the request path: a slow receiver never delays a sign-in, logout or revoke.
    track(
      new Promise((resolve) => setImmediate(resolve)).then(() =>
        attemptDelivery(delivery, body, 0),
      ),
    );
    return delivery;
  }

  return {
    configure,
    /** The HMAC key of the configured secret (in-process callers only). */
    key: () => config.key,
    /** Current URL (never the secret) and whether deliveries are on. */
    status: () => ({ url: config.url, enabled: Boolean(config.url && config.key) }),
    /** Deliveries so far, oldest first (copies). */
    deliveries: () => structuredClone(deliveries),
    sessionEvent,
    /** @param {'user.login' | 'user.logout'} type @param {import('./sessions.mjs').SessionRecord} record */
    onSessionEvent(type, record) {
      enqueue(sessionEvent(type, record));
    },

    /**
     * One hand-made delivery for tests: chosen id, timestamp, body, secret or signature (to play
     * forged, stale, replayed or unsigned deliveries). Defaults: a fresh user.logout-shaped event
     * for `sessionId` when given, signed now with the configured secret. Single attempt, awaited.
     * @param {{ url?: string, id?: string, timestamp?: number | string, body?: string | object, secret?: string, signature?: string | null, sessionRecord?: import('./sessions.mjs').SessionRecord, type?: 'user.login' | 'user.logout' }} [shot]
     */
    async send(shot = {}) {
      const url = shot.url ? parseWebhookUrl(shot.url, 'url') : config.url;
      if (!url)
        throw new Error('no webhook URL: configure one (LOCAL_IDP_WEBHOOK_URL) or pass url');
      const event = shot.sessionRecord
        ? sessionEvent(shot.type ?? 'user.logout', shot.sessionRecord)
        : undefined;
      const id = shot.id ?? event?.id ?? newEventId();
      const body =
        typeof shot.body === 'string'
          ? shot.body
          : JSON.stringify(shot.body ?? (event ? { ...event, id } : { id, type: 'test' }));
      const timestamp = String(shot.timestamp ?? Math.floor(Date.now() / 1000));
      const key = shot.secret ? parseWebhookSecret(shot.secret, 'secret') : config.key;
      let signature;
      if (shot.signature === null) signature = undefined;
      else if (shot.signature !== undefined) signature = shot.signature;
      else if (key) signature = signWebhook(key, id, timestamp, body);
      else
        throw new Error(
          'no webhook secret: configure one (LOCAL_IDP_WEBHOOK_SECRET) or pass secret',
        );
      const result = await post({ url, id, timestamp, body, signature });
      return { ...result, id, timestamp, body, signature };
    },

    /** Resolves once every queued delivery attempt so far has finished (not pending retries). */
    async settled() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },

    close() {
      aborter.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
