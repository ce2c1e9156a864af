import { createDecipheriv, createPublicKey, hkdfSync, verify, type JsonWebKey } from 'node:crypto';

/**
 * The physical floor of a session check, for `npm run bench` only: the two cryptographic
 * operations nobody can skip on first sight of a cookie, done with synchronous node:crypto
 * (OpenSSL, no WebCrypto promise hops, no claim checks, no JSON): AES-256-GCM-decrypt the sealed
 * cookie and RSA-SHA256-verify the access token inside it. Never used by the app: it skips every
 * check that makes a session safe (alg allowlist, iss, aud, exp, the cookie's own claims).
 */

// Must match lib/server/cookies.ts. If it ever drifts, GCM authentication fails and the bench says so.
const HKDF_INFO = 'scalekit-nextjs/session-cookie/v1';

export function cookieKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), HKDF_INFO, 32));
}

export function rsaPublicKey(jwks: { keys: JsonWebKey[] }, kid: string) {
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`no key ${kid} in the IdP's JWKS`);
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/**
 * Returns one call of the floor: decrypt `sealed` (compact JWE, dir + A256GCM) and verify the
 * RS256 JWT `token`. Throws if either fails, so a broken floor cannot look fast.
 */
export function physicalFloor(
  sealed: string,
  token: string,
  aesKey: Buffer,
  publicKey: ReturnType<typeof createPublicKey>,
) {
  return () => {
    const [protectedHeader = '', , iv = '', ciphertext = '', tag = ''] = sealed.split('.');
    const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]);
    const dot = token.lastIndexOf('.');
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(token.slice(0, dot), 'ascii'),
      publicKey,
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
    if (!ok || plaintext.length === 0) throw new Error('physical floor: verification failed');
    return plaintext.length;
  };
}
