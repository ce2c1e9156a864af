import { calibrate, MIN_CALLS, SLOT_US, timeBatch, type Call } from './micro';
import { benchSession, createPeers, ourChecks, PEER_INFO, PEERS, type Peer } from './peers';
import { median } from './stats';

/**
 * The peers' rows: each peer's per-request session check (bench/peers.ts) timed side by side
 * with ours, in the slot scheme of bench/micro.ts: SLOTS short slots, in each every variant runs
 * one mini-batch of about SLOT_US (at least MIN_CALLS calls); ratios are per slot, and the
 * figure is the median over slots. The order is shuffled in every slot rather than rotated: with
 * a rotation each variant always follows the same neighbour, and a peer's cold variant, always
 * run right after its warm twin, found the caches that twin had warmed (10 to 20% faster).
 *
 * Warm is the same cookie again (whatever the peer caches between requests); cold is a cookie
 * the check has not just seen: ours with its memo cleared, a peer's from a pool of separately
 * sealed cookies of the same session, taken in turn. None of the peers caches per cookie, so
 * for them the two should differ only by noise, and the bench shows whether they do.
 */
const SLOTS = 1_000;
// Separately sealed cookies per peer for its cold variant.
const POOL = 32;

type PeerVariant = `${Peer}${'Warm' | 'Cold'}`;
export type PeerVariantName = 'oursCold' | 'oursWarm' | PeerVariant;

export type PeerFigures = {
  /** Median over mini-batches of the per-call time, microseconds. */
  perCallUs: Record<PeerVariantName, number>;
  /** Per peer: median over slots of (peer warm ÷ ours warm) and of (ours cold ÷ peer cold). */
  warmSpeedup: Record<Peer, number>;
  coldRatio: Record<Peer, number>;
  /** Median over slots of (fastest peer's warm in the slot ÷ ours warm): goal ≥ 20. */
  fastestPeerWarmOverOursWarm: number;
  /** The peer whose median warm time is lowest. */
  fastestWarmPeer: Peer;
  /** Median over slots of (ours cold ÷ the fastest cold of the peers that verify as much). */
  oursColdOverVerifyingPeerCold: number;
  verifyingPeers: Peer[];
  cookieBytes: Record<Peer | 'ours', number>;
  slots: number;
  callsPerBatch: Record<PeerVariantName, number>;
};

// A small seeded PRNG, so two runs shuffle alike.
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function measurePeers(log: (line: string) => void): Promise<PeerFigures> {
  const session = await benchSession();
  const peers = await createPeers(session);
  try {
    const ours = ourChecks(session);
    const calls = { oursCold: ours.cold, oursWarm: ours.warm } as Record<PeerVariantName, Call>;
    const cookieBytes = {
      ours: session.ours.sk_access_token?.length ?? 0,
    } as PeerFigures['cookieBytes'];

    for (const name of PEERS) {
      const peer = peers[name];
      const pool: ReturnType<typeof peers.request>[] = [];
      for (let i = 0; i < POOL; i++) {
        pool.push(peers.request(peer.cookieName, await peer.seal()));
      }
      cookieBytes[name] = (await peer.seal()).length;
      const warm = pool[0]!;
      let next = 0;
      calls[`${name}Warm`] = () => peer.check(warm);
      calls[`${name}Cold`] = () => peer.check(pool[next++ % POOL]!);
      // Every cookie must open as the bench user, or we would be timing a failure path.
      for (const request of pool) {
        if ((await peer.check(request)) !== session.sub) {
          throw new Error(`${name}: the peer's check rejected the bench session`);
        }
      }
    }
    const cold = await ours.cold();
    if (cold.status !== 'authenticated' || cold.user.id !== session.sub) {
      throw new Error('ours: cold check failed');
    }

    const variants = Object.keys(calls) as PeerVariantName[];
    const callsPerBatch = {} as Record<PeerVariantName, number>;
    for (const v of variants) {
      callsPerBatch[v] = Math.max(MIN_CALLS, Math.round(SLOT_US / (await calibrate(calls[v]))));
    }
    log(`peers: ${SLOTS} slots, calls per mini-batch ${JSON.stringify(callsPerBatch)}`);

    const verifyingPeers = PEERS.filter((p) => PEER_INFO[p].verifiesAccessToken);
    const samples = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<
      PeerVariantName,
      number[]
    >;
    const warmSpeedups = Object.fromEntries(PEERS.map((p) => [p, [] as number[]])) as Record<
      Peer,
      number[]
    >;
    const coldRatios = Object.fromEntries(PEERS.map((p) => [p, [] as number[]])) as Record<
      Peer,
      number[]
    >;
    const random = mulberry32(15);
    const fastestWarm: number[] = [];
    const verifyingCold: number[] = [];
    for (let slot = 0; slot < SLOTS; slot++) {
      const perCall = {} as Record<PeerVariantName, number>;
      for (const v of shuffled(variants, random)) {
        perCall[v] = (await timeBatch(calls[v], callsPerBatch[v])) / callsPerBatch[v];
        samples[v].push(perCall[v]);
      }
      for (const p of PEERS) {
        warmSpeedups[p].push(perCall[`${p}Warm`] / perCall.oursWarm);
        coldRatios[p].push(perCall.oursCold / perCall[`${p}Cold`]);
      }
      fastestWarm.push(Math.min(...PEERS.map((p) => perCall[`${p}Warm`])) / perCall.oursWarm);
      verifyingCold.push(
        perCall.oursCold / Math.min(...verifyingPeers.map((p) => perCall[`${p}Cold`])),
      );
    }

    // AuthKit refreshes a token it could not verify or that is near its end (30 s before, for a
    // 5-minute token): a refresh attempt during the slots would mean its row timed that path.
    if (peers.authkitRefreshCalls() !== 0) {
      throw new Error('AuthKit tried to refresh during the run: its row did not time the check');
    }

    const perCallUs = Object.fromEntries(variants.map((v) => [v, median(samples[v])])) as Record<
      PeerVariantName,
      number
    >;
    const byPeer = (values: Record<Peer, number[]>) =>
      Object.fromEntries(PEERS.map((p) => [p, median(values[p])])) as Record<Peer, number>;
    return {
      perCallUs,
      warmSpeedup: byPeer(warmSpeedups),
      coldRatio: byPeer(coldRatios),
      fastestPeerWarmOverOursWarm: median(fastestWarm),
      fastestWarmPeer: [...PEERS].sort((a, b) => perCallUs[`${a}Warm`] - perCallUs[`${b}Warm`])[0]!,
      oursColdOverVerifyingPeerCold: median(verifyingCold),
      verifyingPeers,
      cookieBytes,
      slots: SLOTS,
      callsPerBatch,
    };
  } finally {
    await peers.close();
  }
}
