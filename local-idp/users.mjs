// Seeded users for the local IdP: loading, password checks, organization memberships and the
// claims Scalekit puts in tokens.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * One organization a user belongs to, with the roles and permissions Scalekit puts in the access
 * token while that organization is the session's current one.
 * @typedef {object} Membership
 * @property {string} organization_id   org_…, the token's `oid`.
 * @property {string[]} roles
 * @property {string[]} permissions
 */

/**
 * @typedef {object} Organization
 * @property {string} id                org_…
 * @property {string} name
 * @property {string} connection_id     conn_…: what `amr` and Modular SSO `sub` carry.
 */

/**
 * @typedef {object} LocalUser
 * @property {string} id                 Scalekit-style user id (usr_…), used as `sub`.
 * @property {string} email
 * @property {string} password           Clear text: local development only.
 * @property {boolean} email_verified
 * @property {string} name
 * @property {string} given_name
 * @property {string} family_name
 * @property {string | undefined} picture  Absolute URL, or a path on the IdP (/avatars/…).
 * @property {string} idp_user_id        The user's id at the upstream IdP (Modular SSO `sub`).
 * @property {Membership[]} memberships  First one is the default organization.
 */

/**
 * @typedef {object} UserDirectory
 * @property {(id: string) => LocalUser | undefined} byId
 * @property {(email: string, password: string) => LocalUser | undefined} authenticate
 * @property {(id: string) => Organization | undefined} organization
 * @property {LocalUser[]} all
 */

const REQUIRED_STRINGS = /** @type {const} */ ([
  'id',
  'email',
  'password',
  'name',
  'given_name',
  'family_name',
]);

/** @param {unknown} value @param {string} where @returns {string[]} */
function stringArray(value, where) {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${where} must be an array of strings`);
  }
  return value;
}

/** @param {any} raw @param {string} where @returns {Membership} */
function parseMembership(raw, where) {
  if (typeof raw?.organization_id !== 'string' || !raw.organization_id.startsWith('org_'))
    throw new Error(`${where}.organization_id must be a string starting with org_`);
  return {
    organization_id: raw.organization_id,
    roles: stringArray(raw.roles ?? [], `${where}.roles`),
    permissions: stringArray(raw.permissions ?? [], `${where}.permissions`),
  };
}

/** A stable conn_… id for organizations that do not name one. */
const derivedConnectionId = (/** @type {string} */ orgId) =>
  `conn_${createHash('sha256').update(orgId).digest('hex').slice(0, 20)}`;

/**
 * @param {string} file
 * @returns {UserDirectory}
 */
export function loadUsers(file) {
  /** @type {{ users?: unknown, organizations?: unknown }} */
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`could not read users file ${file}`, { cause });
  }
  if (!Array.isArray(parsed.users) || parsed.users.length === 0) {
    throw new Error(`${file} must contain a non-empty "users" array`);
  }

  /** @type {Map<string, Organization>} */
  const organizations = new Map();
  for (const [i, raw] of (Array.isArray(parsed.organizations)
    ? parsed.organizations
    : []
  ).entries()) {
    if (typeof raw?.id !== 'string' || !raw.id.startsWith('org_'))
      throw new Error(`${file} organizations[${i}].id must start with org_`);
    if (raw.connection_id !== undefined && !String(raw.connection_id).startsWith('conn_'))
      throw new Error(`${file} organizations[${i}].connection_id must start with conn_`);
    organizations.set(raw.id, {
      id: raw.id,
      name: typeof raw.name === 'string' && raw.name ? raw.name : raw.id,
      connection_id: raw.connection_id ?? derivedConnectionId(raw.id),
    });
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
    // Two shapes: `memberships: [{ organization_id, roles, permissions }]`, or the older
    // single-organization form with those three fields on the user itself.
    /** @type {Membership[]} */
    const memberships = Array.isArray(raw.memberships)
      ? raw.memberships.map((/** @type {any} */ m, /** @type {number} */ j) =>
          parseMembership(m, `${where}.memberships[${j}]`),
        )
      : [parseMembership(raw, where)];
    if (memberships.length === 0) throw new Error(`${where}.memberships must not be empty`);
    if (new Set(memberships.map((m) => m.organization_id)).size !== memberships.length)
      throw new Error(`${where} lists an organization twice`);
    for (const m of memberships) {
      if (!organizations.has(m.organization_id)) {
        organizations.set(m.organization_id, {
          id: m.organization_id,
          name: m.organization_id,
          connection_id: derivedConnectionId(m.organization_id),
        });
      }
    }
    if (raw.picture !== undefined && typeof raw.picture !== 'string')
      throw new Error(`${where}.picture must be a string (URL or /avatars/… path)`);
    return {
      id: raw.id,
      email: raw.email.toLowerCase(),
      password: raw.password,
      email_verified: raw.email_verified !== false,
      name: raw.name,
      given_name: raw.given_name,
      family_name: raw.family_name,
      picture: raw.picture || undefined,
      idp_user_id:
        typeof raw.idp_user_id === 'string' && raw.idp_user_id ? raw.idp_user_id : raw.email,
      memberships,
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
    organization: (id) => organizations.get(id),
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
 * The membership tokens should carry: the chosen organization if the user still belongs to it,
 * else the user's first one.
 * @param {LocalUser} user @param {string | undefined} organizationId
 */
export function membershipOf(user, organizationId) {
  return (
    user.memberships.find((m) => m.organization_id === organizationId) ??
    /** @type {Membership} */ (user.memberships[0])
  );
}

/**
 * Profile claims for ID tokens and /userinfo.
 * @param {LocalUser} user @param {string} [baseUrl] where the IdP is served (resolves /avatars/…)
 */
export function profileClaims(user, baseUrl = '') {
  return {
    sub: user.id,
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    ...(user.picture && {
      picture: user.picture.startsWith('/') ? `${baseUrl}${user.picture}` : user.picture,
    }),
  };
}
