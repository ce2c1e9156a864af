import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { nowSeconds, seal, unseal } from './cookies';

const SECRET_A = 'a'.repeat(16) + '-first-secret-0123456789';
const SECRET_B = 'b'.repeat(16) + '-second-secret-987654321';
const later = () => nowSeconds() + 3600;

describe('seal / unseal', () => {
  it('round-trips a payload as a five-part compact JWE', async () => {
    const sealed = await seal(
      'sk_access_token',
      { at: 'token-value' },
      { expiresAt: later(), secrets: [SECRET_A] },
    );
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed).not.toContain('token-value');
    const header = decodeProtectedHeader(sealed);
    expect(header).toMatchObject({ alg: 'dir', enc: 'A256GCM' });
    expect(typeof header.kid).toBe('string');
    const opened = await unseal<{ at: string }>('sk_access_token', sealed, { secrets: [SECRET_A] });
    expect(opened?.at).toBe('token-value');
  });

  it('treats a tampered ciphertext, tag, iv or header as no session', async () => {
    const sealed = await seal(
      'sk_access_token',
      { at: 'x' },
      { expiresAt: later(), secrets: [SECRET_A] },
    );
    const parts = sealed.split('.');
    for (const index of [0, 2, 3, 4]) {
      const copy = [...parts];
      const part = copy[index]!;
      // Flip one character in the middle of the part.
      const i = Math.floor(part.length / 2);
      copy[index] = part.slice(0, i) + (part[i] === 'A' ? 'B' : 'A') + part.slice(i + 1);
      expect(await unseal('sk_access_token', copy.join('.'), { secrets: [SECRET_A] })).toBeNull();
    }
  });

  it('treats truncated, empty and garbage values as no session', async () => {
    const sealed = await seal(
      'sk_access_token',
      { at: 'x' },
      { expiresAt: later(), secrets: [SECRET_A] },
    );
    for (const value of [
      sealed.slice(0, -5),
      sealed.split('.').slice(0, 4).join('.'),
      '',
      'not-a-jwe',
      '....',
    ]) {
      expect(await unseal('sk_access_token', value, { secrets: [SECRET_A] })).toBeNull();
    }
    expect(await unseal('sk_access_token', undefined, { secrets: [SECRET_A] })).toBeNull();
  });

  it('refuses a value sealed for another cookie (no swapping cookies around)', async () => {
    const refresh = await seal(
      'sk_refresh_token',
      { rt: 'x' },
      { expiresAt: later(), secrets: [SECRET_A] },
    );
    expect(await unseal('sk_access_token', refresh, { secrets: [SECRET_A] })).toBeNull();
  });

  it('refuses a value past its sealed expiry', async () => {
    const sealed = await seal(
      'sk_access_token',
      { at: 'x' },
      { expiresAt: nowSeconds() - 1, secrets: [SECRET_A] },
    );
    expect(await unseal('sk_access_token', sealed, { secrets: [SECRET_A] })).toBeNull();
  });

  it('opens cookies sealed with an older listed secret and seals with the newest', async () => {
    const old = await seal(
      'sk_id_token',
      { it: 'old' },
      { expiresAt: later(), secrets: [SECRET_A] },
    );
    const rotated = [SECRET_B, SECRET_A];
    expect((await unseal<{ it: string }>('sk_id_token', old, { secrets: rotated }))?.it).toBe(
      'old',
    );
    const fresh = await seal(
      'sk_id_token',
      { it: 'new' },
      { expiresAt: later(), secrets: rotated },
    );
    expect(decodeProtectedHeader(fresh).kid).not.toBe(decodeProtectedHeader(old).kid);
    // Sealed with B: a deployment that only knows A cannot open it.
    expect(await unseal('sk_id_token', fresh, { secrets: [SECRET_A] })).toBeNull();
  });

  it('treats a cookie sealed with a retired or foreign secret as no session', async () => {
    const sealed = await seal(
      'sk_access_token',
      { at: 'x' },
      { expiresAt: later(), secrets: [SECRET_A] },
    );
    expect(await unseal('sk_access_token', sealed, { secrets: [SECRET_B] })).toBeNull();
  });

  it('refuses oversized input without trying to parse it', async () => {
    expect(
      await unseal('sk_access_token', 'a.'.repeat(10_000), { secrets: [SECRET_A] }),
    ).toBeNull();
  });
});
