// Storage for oidc-provider (sessions, grants, codes, tokens, interactions).
//
// Why not oidc-provider's bundled MemoryAdapter: it is one module-wide LRU capped at 1000 entries
// (several IdPs in one test process would share it, and a long e2e run could evict live grants),
// and it cannot survive a restart. This one is per-instance and, given a file, persists to the
// data dir so a dev restart keeps IdP sessions and refresh tokens valid.
import { existsSync, readFileSync } from 'node:fs';

import { writeSecretJson } from './keys.mjs';

/** @typedef {Record<string, any>} Payload */
/** @typedef {{ payload: Payload, expiresAt?: number }} Entry */

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class Store {
  /** @type {Map<string, Entry>} */
  #entries = new Map();
  /** @type {string | undefined} */
  #file;
  /** @type {NodeJS.Timeout | undefined} */
  #saveTimer;

  /** @param {{ file?: string }} [options] */
  constructor({ file } = {}) {
    this.#file = file;
    if (file && existsSync(file)) {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8'));
        for (const [key, entry] of saved.entries ?? []) this.#entries.set(key, entry);
        this.#prune();
      } catch {
        // A corrupt store only costs dev sessions; start empty rather than refusing to boot.
        this.#entries.clear();
      }
    }
  }

  /** @param {string} key */
  #live(key) {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #prune() {
    for (const key of this.#entries.keys()) this.#live(key);
  }

  #changed() {
    if (!this.#file || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => this.flush(), 50);
    this.#saveTimer.unref();
  }

  /** Writes pending changes now (also called on shutdown). */
  flush() {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (!this.#file) return;
    this.#prune();
    writeSecretJson(this.#file, { version: 1, entries: [...this.#entries] });
  }

  /** @param {string} model @param {string} id */
  get(model, id) {
    const entry = this.#live(`${model}:${id}`);
    // Copies, so oidc-provider mutating a found object cannot silently change stored state,
    // same as it would be with a real database.
    return entry ? structuredClone(entry.payload) : undefined;
  }

  /** @param {string} model @param {string} id @param {Payload} payload @param {number} [expiresIn] seconds */
  set(model, id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined;
    this.#entries.set(`${model}:${id}`, { payload: structuredClone(payload), expiresAt });
    this.#changed();
  }

  /** @param {string} model @param {string} id */
  delete(model, id) {
    if (this.#entries.delete(`${model}:${id}`)) this.#changed();
  }

  /** @param {string} model @param {string} id */
  consume(model, id) {
    const entry = this.#live(`${model}:${id}`);
    if (!entry) return;
    entry.payload.consumed = nowSeconds();
    this.#changed();
  }

  /**
   * Linear scans are fine at dev scale and avoid keeping secondary indexes in sync.
   * @param {string} model @param {(p: Payload) => boolean} predicate
   */
  findWhere(model, predicate) {
    const prefix = `${model}:`;
    for (const key of this.#entries.keys()) {
      if (!key.startsWith(prefix)) continue;
      const entry = this.#live(key);
      if (entry && predicate(entry.payload)) return structuredClone(entry.payload);
    }
    return undefined;
  }

  /** Live payloads of one model (copies). @param {string} model @returns {Payload[]} */
  list(model) {
    const prefix = `${model}:`;
    const out = [];
    for (const key of [...this.#entries.keys()]) {
      if (!key.startsWith(prefix)) continue;
      const entry = this.#live(key);
      if (entry) out.push(structuredClone(entry.payload));
    }
    return out;
  }

  /** @param {string} model @param {(p: Payload) => boolean} predicate @returns {number} removed */
  deleteWhere(model, predicate) {
    const prefix = `${model}:`;
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && predicate(entry.payload)) {
        this.#entries.delete(key);
        removed += 1;
      }
    }
    if (removed) this.#changed();
    return removed;
  }

  /** @param {string} model @param {string} grantId */
  deleteByGrantId(model, grantId) {
    const prefix = `${model}:`;
    let removed = false;
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && entry.payload.grantId === grantId) {
        this.#entries.delete(key);
        removed = true;
      }
    }
    if (removed) this.#changed();
  }

  /** oidc-provider adapter factory: `adapter: store.adapterFactory()`. */
  adapterFactory() {
    return (/** @type {string} */ model) => ({
      upsert: async (
        /** @type {string} */ id,
        /** @type {Payload} */ payload,
        /** @type {number} */ expiresIn,
      ) => this.set(model, id, payload, expiresIn),
      find: async (/** @type {string} */ id) => this.get(model, id),
      findByUid: async (/** @type {string} */ uid) => this.findWhere(model, (p) => p.uid === uid),
      findByUserCode: async (/** @type {string} */ userCode) =>
        this.findWhere(model, (p) => p.userCode === userCode),
      consume: async (/** @type {string} */ id) => this.consume(model, id),
      destroy: async (/** @type {string} */ id) => this.delete(model, id),
      revokeByGrantId: async (/** @type {string} */ grantId) =>
        this.deleteByGrantId(model, grantId),
    });
  }
}
