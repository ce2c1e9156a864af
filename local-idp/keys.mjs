// The IdP's private material (signing keys, cookie keys) lives in the data dir, so restarting the
// IdP keeps issued tokens verifiable and browser sessions valid.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** @typedef {import('node:crypto').JsonWebKey & { kid: string, alg: 'RS256', use: 'sig', kty: 'RSA' }} SigningJwk */

// Rotation keeps a few retired keys published so tokens (and id_token_hints used at logout)
// signed before a rotation stay verifiable for a while, as they would at a real IdP.
const MAX_PUBLISHED_KEYS = 5;

/** @param {string} dir */
export function ensureDataDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ignore = path.join(dir, '.gitignore');
  // Belt and braces next to the repo's .gitignore: a custom LOCAL_IDP_DATA_DIR inside some other
  // checkout still never gets its private keys committed.
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
}

/**
 * Writes via a temp file + rename so a crash mid-write never leaves a truncated key file.
 * @param {string} file @param {unknown} data
 */
export function writeSecretJson(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}

/** @param {string} file */
function readJsonIfExists(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`${file} is not valid JSON; delete it to regenerate`, { cause });
  }
}

/** RFC 7638 thumbprint, so a key's kid is derived from the key itself. */
function thumbprint(/** @type {{ e?: string, n?: string }} */ jwk) {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** @returns {SigningJwk} */
function generateSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  // snk_ mirrors the prefix Scalekit uses for its signing-key ids.
  return {
    ...jwk,
    kty: 'RSA',
    kid: `snk_${thumbprint(jwk).slice(0, 24)}`,
    alg: 'RS256',
    use: 'sig',
  };
}

/** @param {SigningJwk} jwk */
function toPublic({ kty, n, e, kid, alg, use }) {
  return { kty, n, e, kid, alg, use };
}

/**
 * Signing keys, newest first. oidc-provider signs with the first matching key in its keystore,
 * so "newest first" is what makes a rotation take effect.
 * @param {string} dataDir
 */
export function loadSigningKeys(dataDir) {
  const file = path.join(dataDir, 'signing-keys.json');
  /** @type {SigningJwk[]} */
  let keys = readJsonIfExists(file)?.keys ?? [];
  if (!Array.isArray(keys) || keys.length === 0) {
    keys = [generateSigningKey()];
    writeSecretJson(file, { keys });
  }

  return {
    /** Private JWK set for oidc-provider's `jwks` option (a copy, never the live array). */
    privateJwks: () => ({ keys: keys.map((k) => ({ ...k })) }),
    publicJwks: () => ({ keys: keys.map(toPublic) }),
    currentKid: () => /** @type {SigningJwk} */ (keys[0]).kid,
    /** Generates a new key, signs with it from now on, keeps recent old keys published. */
    rotate() {
      keys = [generateSigningKey(), ...keys].slice(0, MAX_PUBLISHED_KEYS);
      writeSecretJson(file, { keys });
      return /** @type {SigningJwk} */ (keys[0]).kid;
    },
  };
}

/**
 * Keys oidc-provider uses to sign its cookies (Koa keygrip).
 * @param {string} dataDir
 * @returns {string[]}
 */
export function loadCookieKeys(dataDir) {
  const file = path.join(dataDir, 'cookie-keys.json');
  const existing = readJsonIfExists(file)?.keys;
  if (Array.isArray(existing) && existing.length && existing.every((k) => typeof k === 'string')) {
    return existing;
  }
  const keys = [randomBytes(32).toString('base64url')];
  writeSecretJson(file, { keys });
  return keys;
}
