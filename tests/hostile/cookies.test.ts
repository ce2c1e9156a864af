import { describe, expect, it } from 'vitest';
import { POST as refreshPOST } from '@/app/api/refresh/route';
import { POST as logoutPOST } from '@/app/logout/route';
import { CHUNK_SIZE, nowSeconds, seal } from '@/lib/server/cookies';
import { appUrl, request, setCookies, signInThroughRoutes, USERS } from '../helpers/routes';
import { expectNo5xx, flip, sessionOf, type Jar } from './helpers';

const FOREIGN_SECRET = 'an-attacker-chosen-secret-that-is-long-enough';

const alice = await signInThroughRoutes(USERS.alice);
const dave = await signInThroughRoutes(USERS.dave);
const aliceJar: Jar = alice.session;
const daveJar: Jar = Object.fromEntries(
  Object.entries(dave.cookies)
    .filter(([name, c]) => name.startsWith('sk_') && !name.startsWith('sk_oauth') && c.value)
    .map(([name, c]) => [name, c.value]),
);

describe('hostile cookies: sealed values', () => {
  const access = aliceJar.sk_access_token!;
  const parts = access.split('.');
  const cases: [string, string][] = [
    ['flipped protected header', [flip(parts[0]!), ...parts.slice(1)].join('.')],
    ['flipped iv', [parts[0], parts[1], flip(parts[2]!), parts[3], parts[4]].join('.')],
    ['flipped ciphertext', [parts[0], parts[1], parts[2], flip(parts[3]!), parts[4]].join('.')],
    ['flipped tag', [...parts.slice(0, 4), flip(parts[4]!)].join('.')],
    ['encrypted key part filled in', [parts[0], 'AAAA', ...parts.slice(2)].join('.')],
    ['truncated by one character', access.slice(0, -1)],
    ['truncated to half', access.slice(0, access.length / 2)],
    ['four parts', parts.slice(0, 4).join('.')],
    ['six parts', [...parts, 'AAAA'].join('.')],
    ['a raw JWT instead of a JWE', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfMSJ9.'],
    ['empty', ''],
    ['whitespace', '   '],
    ['oversized (100 KB)', 'A'.repeat(100_000)],
    ['non-base64 garbage', '!!!.@@@.###.$$$.%%%'],
    [
      'header swapped to alg none',
      [Buffer.from('{"alg":"none","enc":"A256GCM"}').toString('base64url'), ...parts.slice(1)].join(
        '.',
      ),
    ],
  ];

  it.each(cases)('%s → no session', async (_label, value) => {
    expect((await sessionOf({ ...aliceJar, sk_access_token: value })).status).toBe(
      'unauthenticated',
    );
  });

  it('sealed with a foreign secret → no session', async () => {
    const forged = await seal(
      'sk_access_token',
      { at: 'x', u: { email: 'mallory@evil.test' } },
      {
        expiresAt: nowSeconds() + 600,
        secrets: [FOREIGN_SECRET],
      },
    );
    expect((await sessionOf({ sk_access_token: forged })).status).toBe('unauthenticated');
  });

  it('a refresh-token cookie presented as the access cookie → no session', async () => {
    expect((await sessionOf({ sk_access_token: aliceJar.sk_refresh_token! })).status).toBe(
      'unauthenticated',
    );
  });

  it('tampered refresh cookie → 401 session ended, cookies cleared, never 5xx', async () => {
    const response = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        cookies: { ...aliceJar, sk_refresh_token: flip(aliceJar.sk_refresh_token!) },
      }),
    );
    expectNo5xx(response);
    expect(response.status).toBe(401);
    expect(setCookies(response).sk_refresh_token?.attributes['max-age']).toBe('0');
  });

  it('tampered id-token cookie: logout still signs out, just without a hint', async () => {
    const response = await logoutPOST(
      request('/logout', {
        method: 'POST',
        cookies: { ...aliceJar, sk_id_token: flip(aliceJar.sk_id_token!) },
        headers: { origin: appUrl() },
      }),
    );
    expectNo5xx(response);
    expect(new URL(response.headers.get('location')!).searchParams.has('id_token_hint')).toBe(
      false,
    );
    expect(setCookies(response).sk_access_token!.attributes['max-age']).toBe('0');
  });
});

describe('hostile cookies: chunks', () => {
  it('a large token (200 permissions) is chunked and reads back as the right user', async () => {
    expect(Object.keys(daveJar)).toEqual(
      expect.arrayContaining(['sk_access_token.0', 'sk_access_token.1']),
    );
    expect(daveJar['sk_access_token.0']!.length).toBe(CHUNK_SIZE);
    const session = await sessionOf(daveJar);
    expect(session.status === 'authenticated' && session.user.email).toBe('dave@example.com');
    expect(session.status === 'authenticated' && session.user.permissions).toHaveLength(200);
  });

  const chunkCases: [string, (jar: Jar) => Jar][] = [
    [
      'a missing first chunk',
      (jar) => Object.fromEntries(Object.entries(jar).filter(([n]) => n !== 'sk_access_token.0')),
    ],
    [
      'a missing last chunk',
      (jar) => {
        const copy = { ...jar };
        const last = Object.keys(copy)
          .filter((n) => n.startsWith('sk_access_token.'))
          .sort()
          .at(-1)!;
        delete copy[last];
        return copy;
      },
    ],
    ['an extra chunk', (jar) => ({ ...jar, 'sk_access_token.7': 'AAAA' })],
    [
      'chunks in swapped order',
      (jar) => ({
        ...jar,
        'sk_access_token.0': jar['sk_access_token.1']!,
        'sk_access_token.1': jar['sk_access_token.0']!,
      }),
    ],
    [
      'a plain cookie beside the chunks',
      (jar) => ({ ...jar, sk_access_token: aliceJar.sk_access_token! }),
    ],
    ['a non-canonical chunk index (01)', (jar) => ({ ...jar, 'sk_access_token.01': 'AAAA' })],
    [
      'a tampered chunk',
      (jar) => ({ ...jar, 'sk_access_token.1': flip(jar['sk_access_token.1']!) }),
    ],
    [
      'a chunk from another session spliced in',
      (jar) => ({
        ...jar,
        'sk_access_token.0': aliceJar.sk_access_token!.slice(0, CHUNK_SIZE).padEnd(CHUNK_SIZE, 'A'),
      }),
    ],
    [
      'more chunks than any value needs (9)',
      (jar) => {
        const copy = { ...jar };
        for (let i = 0; i < 9; i++) copy[`sk_access_token.${i}`] ??= 'AAAA';
        return copy;
      },
    ],
  ];

  it.each(chunkCases)('%s → no session (never another user)', async (_label, mutate) => {
    const session = await sessionOf(mutate(daveJar));
    expect(session.status).toBe('unauthenticated');
  });

  it('a refresh that shrinks the value deletes the stale chunks', async () => {
    // Bob's small session, but the browser still holds chunks from an earlier, larger cookie.
    const bob = await signInThroughRoutes(USERS.bob);
    const response = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        cookies: { ...bob.session, 'sk_access_token.0': 'stale', 'sk_access_token.1': 'stale' },
      }),
    );
    expect(response.status).toBe(200);
    const cookies = setCookies(response);
    expect(cookies.sk_access_token!.value.split('.')).toHaveLength(5);
    expect(cookies['sk_access_token.0']!.attributes['max-age']).toBe('0');
    expect(cookies['sk_access_token.1']!.attributes['max-age']).toBe('0');
  });

  it('logout deletes every chunk the browser holds', async () => {
    const response = await logoutPOST(
      request('/logout', { method: 'POST', cookies: daveJar, headers: { origin: appUrl() } }),
    );
    const cookies = setCookies(response);
    for (const name of Object.keys(daveJar)) {
      expect(cookies[name]?.attributes['max-age'], name).toBe('0');
    }
  });

  it('duplicated cookie names in one header never yield another user or a 5xx', async () => {
    const response = await refreshPOST(
      request('/api/refresh', {
        method: 'POST',
        headers: {
          cookie: `sk_refresh_token=${aliceJar.sk_refresh_token}; sk_refresh_token=${flip(aliceJar.sk_refresh_token!)}; sk_access_token=${aliceJar.sk_access_token}`,
        },
      }),
    );
    expectNo5xx(response);
    if (response.status === 200) {
      const session = await sessionOf({
        sk_access_token: setCookies(response).sk_access_token!.value,
      });
      expect(session.status === 'authenticated' && session.user.email).toBe('alice@example.com');
    } else {
      expect(response.status).toBe(401);
    }
  });
});
