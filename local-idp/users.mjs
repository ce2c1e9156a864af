// Seeded users for the local IdP: loading, password checks and the claims Scalekit puts in tokens.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * @typedef {object} LocalUser
 * @property {string} id                 Scalekit-style user id (usr_…), used as `sub`.
 * @property {string} email
 * @property {string} password           Clear text: local development only.
 * @property {boolean} email_verified
 * @property {string} name
 * @property {string} given_name
 * @property {string} family_name
 * @property {string} organization_id    Scalekit-style organization id (org_…), used as `oid`.
 * @property {string[]} roles
 * @property {string[]} permissions
 */

/**
 * @typedef {object} UserDirectory
 * @property {(id: string) => LocalUser | undefined} byId
 * @property {(email: string, password: string) => LocalUser | undefined} authenticate
 * @property {LocalUser[]} all
 */

const REQUIRED_STRINGS = /** @type {const} */ ([
  'id',
  'email',
  'password',
  'name',
  'given_name',
  'family_name',
  'organization_id',
]);

/** @param {unknown} value @param {string} where @returns {string[]} */
function stringArray(value, where) {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${where} must be an array of strings`);
  }
  return value;
}

/**
 * @param {string} file
 * @returns {UserDirectory}
 */
export function loadUsers(file) {
  /** @type {{ users?: unknown }} */
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`could not read users file ${file}`, { cause });
  }
  if (!Array.isArray(parsed.users) || parsed.users.length === 0) {
    throw new Error(`${file} must contain a non-empty "users" array`);
  }

  /** @type {LocalUser[]} */
  const all = parsed.users.map((raw, i) => {
    const where = `${file} users[${i}]`;
    for (const key of REQUIRED_STRINGS) {
      if (typeof raw?.[key] !== 'string' || !raw[key])
        throw new Error(`${where}.${key} must be a non-empty string`);
    }
    if (!raw.id.startsWith('usr_'))
      throw new Error(`${where}.id must start with usr_ (Scalekit user ids do)`);
    if (!raw.organization_id.startsWith('org_'))
      throw new Error(`${where}.organization_id must start with org_`);
    return {
      id: raw.id,
      email: raw.email.toLowerCase(),
      password: raw.password,
      email_verified: raw.email_verified !== false,
      name: raw.name,
      given_name: raw.given_name,
      family_name: raw.family_name,
      organization_id: raw.organization_id,
      roles: stringArray(raw.roles ?? [], `${where}.roles`),
      permissions: stringArray(raw.permissions ?? [], `${where}.permissions`),
    };
  });

  const byId = new Map(all.map((u) => [u.id, u]));
  const byEmail = new Map(all.map((u) => [u.email, u]));
  if (byId.size !== all.length || byEmail.size !== all.length) {
    throw new Error(`${file} has duplicate user ids or emails`);
  }

  // Hashing both sides gives equal-length buffers for timingSafeEqual, and an unknown email
  // still pays for one comparison, so response time does not reveal which emails exist.
  const digest = (/** @type {string} */ s) => createHash('sha256').update(s, 'utf8').digest();
  const unknownUserDigest = digest('\u0000no-such-user\u0000');

  return {
    all,
    byId: (id) => byId.get(id),
    authenticate(email, password) {
      const user = byEmail.get(String(email).trim().toLowerCase());
      const matches = timingSafeEqual(
        digest(String(password)),
        user ? digest(user.password) : unknownUserDigest,
      );
      return user && matches ? user : undefined;
    },
  };
}

/**
 * Profile claims for ID tokens and /userinfo, keyed the way oidc-provider filters them by scope.
 * @param {LocalUser} user
 */
export function profileClaims(user) {
  return {
    sub: user.id,
    oid: user.organization_id,
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
  };
}

/**
 * Authorization claims Scalekit adds to access tokens (roles/permissions within the org).
 * @param {LocalUser} user
 */
export function authorizationClaims(user) {
  return {
    oid: user.organization_id,
    roles: [...user.roles],
    permissions: [...user.permissions],
  };
}
