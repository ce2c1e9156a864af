import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchSession,
  createPeers,
  PEER_INFO,
  PEERS,
  type BenchSession,
  type Peers,
} from '@/bench/peers';

/**
 * The bench times each peer's real session check on a cookie built for it (bench/peers.ts).
 * These prove the path it times is the success path: each peer opens its cookie as the bench
 * user's session, and refuses the same cookie with one character changed, so a peer cannot
 * look fast by failing early.
 */
let session: BenchSession;
let peers: Peers;

beforeAll(async () => {
  session = await benchSession();
  peers = await createPeers(session);
}, 30_000);
afterAll(() => peers?.close());

// A change in the middle of the value lands in the ciphertext (or MAC) of every format here.
function tamper(value: string) {
  const i = value.length >> 1;
  return value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
}

// The access token with its signature's first character changed: well formed, never signed.
const forged = () => {
  const dot = session.accessToken.lastIndexOf('.') + 1;
  const c = session.accessToken[dot] === 'A' ? 'B' : 'A';
  return session.accessToken.slice(0, dot) + c + session.accessToken.slice(dot + 1);
};

describe.each(PEERS)('%s', (name) => {
  it('opens its cookie as the bench user, on every fresh seal', async () => {
    const peer = peers[name];
    for (let i = 0; i < 2; i++) {
      const value = await peer.seal();
      expect(await peer.check(peers.request(peer.cookieName, value))).toBe(session.sub);
    }
    expect(session.sub).toMatch(/^usr_/);
  });

  it('finds no session in a tampered cookie, nor in none', async () => {
    const peer = peers[name];
    const value = await peer.seal();
    expect(await peer.check(peers.request(peer.cookieName, tamper(value)))).toBeNull();
    expect(await peer.check(peers.request('other', value))).toBeNull();
  });
});

// What docs/5-performance.md says each peer checks: only AuthKit verifies the access token on a
// request; Auth0 and Auth.js trust whatever their own sealed cookie holds.
describe('a validly sealed session holding a forged access token', () => {
  it.each(PEERS)('%s: accepted only by a peer that does not verify the token', async (name) => {
    const peer = peers[name];
    const refreshesBefore = peers.authkitRefreshCalls();
    const user = await peer.check(peers.request(peer.cookieName, await peer.seal(forged())));
    expect(user).toBe(PEER_INFO[name].verifiesAccessToken ? null : session.sub);
    // AuthKit answers an unverifiable token by trying its refresh token (refused here).
    expect(peers.authkitRefreshCalls() - refreshesBefore).toBe(name === 'authkit' ? 1 : 0);
  });
});
