// Scalekit session records: one per IdP session id (`sid`, ses_…), with what the Sessions API and
// the user.login / user.logout webhooks report, and the effects ending one has: its refresh-token
// family dies (the next refresh is invalid_grant) and so does its hosted-login browser session (the
// next /oauth/authorize asks for the password again).
import { describeDevice } from './device.mjs';

/** API reference values (lowercase). */
export const SESSION_STATUSES = /** @type {const} */ (['active', 'expired', 'revoked', 'logout']);

/** Scalekit's webhook example session: idle +7 d, absolute +30 d (D-api). */
export const SESSION_DEFAULTS = Object.freeze({
  idleTimeout: 7 * 24 * 60 * 60,
  absoluteTimeout: 30 * 24 * 60 * 60,
});

const MODEL = 'ScalekitSession';
// Ended sessions stay listed (status expired/revoked/logout) for this long after their absolute
// expiry, so "recent sessions" pages have something to show.
const KEEP_ENDED_MS = 30 * 24 * 60 * 60 * 1000;
// oidc-provider models that hang off a grant: all die with the session.
const GRANT_MODELS = ['RefreshToken', 'AuthorizationCode', 'AccessToken'];

/**
 * @typedef {object} SessionRecord  Times are epoch milliseconds; optional ones absent until set.
 * @property {string} session_id
 * @property {string} user_id
 * @property {string} organization_id  organization of the latest sign-in in this session
 * @property {string[]} authenticated_organizations
 * @property {{ client_id: string, organization_id: string }[]} authenticated_clients
 * @property {import('./device.mjs').Device} device
 * @property {'active' | 'expired' | 'revoked' | 'logout'} status
 * @property {number} created_at
 * @property {number} updated_at
 * @property {number} last_active_at
 * @property {number} idle_expires_at
 * @property {number} absolute_expires_at
 * @property {number} [expired_at]
 * @property {number} [logout_at]
 * @property {string[]} grant_ids  the oidc-provider grants (token families) of this session
 */

/** @typedef {'user.login' | 'user.logout'} SessionEvent */

/**
 * @param {{
 *   store: import('./store.mjs').Store,
 *   idleTimeout: number,
 *   absoluteTimeout: number,
 *   location?: import('./device.mjs').Location,
 *   log: (line: string) => void,
 * }} options
 */
export function createSessionRecords({ store, idleTimeout, absoluteTimeout, location, log }) {
  /** @type {Set<(type: SessionEvent, record: SessionRecord) => void>} */
  const listeners = new Set();

  /** @param {SessionEvent} type @param {SessionRecord} record */
  const emit = (type, record) => {
    for (const listener of listeners) {
      try {
        listener(type, structuredClone(record));
      } catch (err) {
        log(`session event listener failed: ${/** @type {Error} */ (err).message}`);
      }
    }
  };

  /** @param {SessionRecord} record */
  const save = (record) =>
    store.set(
      MODEL,
      record.session_id,
      record,
      Math.max(60, Math.ceil((record.absolute_expires_at + KEEP_ENDED_MS - Date.now()) / 1000)),
    );

  /** @param {string} sid @returns {SessionRecord | undefined} */
  const load = (sid) => /** @type {SessionRecord | undefined} */ (store.get(MODEL, sid));

  /** Kills the session's token families and its browser session at the IdP. @param {SessionRecord} record */
  function endTokens(record) {
    for (const grantId of record.grant_ids) {
      store.delete('Grant', grantId);
      for (const model of GRANT_MODELS) store.deleteByGrantId(model, grantId);
    }
    store.deleteWhere('Session', (payload) =>
      Object.values(payload.authorizations ?? {}).some((a) => a?.sid === record.session_id),
    );
  }

  /** @param {SessionRecord} record @param {number} now */
  function expireIfDue(record, now) {
    if (record.status !== 'active') return record;
    const due = Math.min(record.idle_expires_at, record.absolute_expires_at);
    if (now < due) return record;
    record.status = 'expired';
    record.expired_at = due;
    record.updated_at = now;
    endTokens(record);
    save(record);
    log(`session ${record.session_id} expired`);
    return record;
  }

  /** @param {SessionRecord} record @param {number} now */
  function touch(record, now) {
    record.last_active_at = now;
    record.updated_at = now;
    record.idle_expires_at = now + idleTimeout * 1000;
  }

  /** @param {SessionRecord} record @param {'revoked' | 'logout'} status */
  function end(record, status) {
    const now = Date.now();
    record.status = status;
    record.updated_at = now;
    if (status === 'logout') record.logout_at = now;
    endTokens(record);
    save(record);
    log(`session ${record.session_id} ${status === 'logout' ? 'logged out' : 'revoked'}`);
    emit('user.logout', record);
    return record;
  }

  /** Marks every session past its idle or absolute expiry as expired (and ends its tokens). */
  function sweep() {
    const now = Date.now();
    for (const record of /** @type {SessionRecord[]} */ (store.list(MODEL)))
      expireIfDue(record, now);
  }

  return {
    /** @param {(type: SessionEvent, record: SessionRecord) => void} listener */
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    sweep,

    /**
     * An authorization request succeeded (code issued) in IdP session `sid`: the first one
     * creates the session (user.login), later ones (silent SSO, org switch) count as activity.
     * @param {{ sid: string, userId: string, clientId: string, grantId: string | undefined, organizationId: string, userAgent: string | undefined, ip: string }} at
     */
    authorized({ sid, userId, clientId, grantId, organizationId, userAgent, ip }) {
      const now = Date.now();
      let record = load(sid);
      if (record) expireIfDue(record, now);
      if (record && record.user_id !== userId) {
        // oidc-provider gives a new sign-in by another account a new sid; never merge two users.
        log(`authorization for another user in session ${sid} ignored`);
        return record;
      }
      if (record && record.status === 'active') {
        touch(record, now);
        record.organization_id = organizationId;
        if (!record.authenticated_organizations.includes(organizationId))
          record.authenticated_organizations.push(organizationId);
        record.authenticated_clients = [{ client_id: clientId, organization_id: organizationId }];
        if (grantId && !record.grant_ids.includes(grantId)) record.grant_ids.push(grantId);
        save(record);
        return record;
      }
      if (record) {
        // The browser session of an ended record is gone, so oidc-provider cannot reuse its sid.
        log(`authorization in ended session ${sid} ignored`);
        return record;
      }
      record = {
        session_id: sid,
        user_id: userId,
        organization_id: organizationId,
        authenticated_organizations: [organizationId],
        authenticated_clients: [{ client_id: clientId, organization_id: organizationId }],
        device: describeDevice(userAgent, ip, location),
        status: 'active',
        created_at: now,
        updated_at: now,
        last_active_at: now,
        idle_expires_at: now + idleTimeout * 1000,
        absolute_expires_at: now + absoluteTimeout * 1000,
        grant_ids: grantId ? [grantId] : [],
      };
      save(record);
      emit('user.login', record);
      return record;
    },

    /** A refresh of one of the session's tokens succeeded. @param {string} sid */
    refreshed(sid) {
      const record = load(sid);
      if (!record || expireIfDue(record, Date.now()).status !== 'active') return;
      touch(record, Date.now());
      save(record);
    },

    /** RP-initiated logout ended these IdP sessions. @param {string[]} sids */
    loggedOut(sids) {
      for (const sid of sids) {
        const record = load(sid);
        if (record && expireIfDue(record, Date.now()).status === 'active') end(record, 'logout');
      }
    },

    /** @param {string} sid @returns {SessionRecord | undefined} */
    get(sid) {
      const record = load(sid);
      return record && expireIfDue(record, Date.now());
    },

    /** A user's sessions, newest first. @param {string} userId @returns {SessionRecord[]} */
    listForUser(userId) {
      sweep();
      return /** @type {SessionRecord[]} */ (store.list(MODEL))
        .filter((r) => r.user_id === userId)
        .sort((a, b) => b.created_at - a.created_at || a.session_id.localeCompare(b.session_id));
    },

    /** Every session record (tests, control routes), newest first. @returns {SessionRecord[]} */
    all() {
      sweep();
      return /** @type {SessionRecord[]} */ (store.list(MODEL)).sort(
        (a, b) => b.created_at - a.created_at,
      );
    },

    /**
     * Revokes an active session; an ended one is returned unchanged (its tokens are already dead).
     * @param {string} sid @returns {SessionRecord | undefined} undefined when unknown
     */
    revoke(sid) {
      const record = load(sid);
      if (!record) return undefined;
      if (expireIfDue(record, Date.now()).status !== 'active') return record;
      return end(record, 'revoked');
    },

    /** Revokes the user's ACTIVE sessions only. @param {string} userId @returns {SessionRecord[]} */
    revokeAll(userId) {
      sweep();
      return /** @type {SessionRecord[]} */ (store.list(MODEL))
        .filter((r) => r.user_id === userId && r.status === 'active')
        .map((r) => end(r, 'revoked'));
    },
  };
}

/** @typedef {ReturnType<typeof createSessionRecords>} SessionRecords */
