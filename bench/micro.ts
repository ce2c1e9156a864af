import { webcrypto } from 'node:crypto';
import {
  compactDecrypt,
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import { getConfig } from '@/lib/server/config';
import {
  idpSessionKey,
  openAccessCookie,
  sessionFromCookies,
  sessionIdKey,
} from '@/lib/server/session/session';
import { signInThroughRoutes, USERS } from '@/tests/helpers/routes';
import { cookbookGetSession, createCookbookClient } from './cookbook';
import { cookieKey, physicalFloor, rsaPublicKey } from './physical-floor';
import { median } from './stats';
import { clearSessionMemo, deniedSessions } from '@/lib/server/testing';

/**
 * Figure 1: the cost of one session check, on one real session from the local IdP, for five
 * implementations measured side by side. The machine is shared (other builds come and go on the
 * same 2 cores, and WebCrypto work queues on libuv's thread pool), so whole-run timings of one
 * variant after another drift by 2x. Instead the run is SLOTS short slots; in each slot every
 * variant runs one mini-batch of about SLOT_US and at least MIN_CALLS calls (rotating which goes
 * first), so the variants of a slot see the same machine within a few milliseconds. A ratio is
 * computed per slot and the figure is the median over all slots; a per-call time is the median
 * over its mini-batches.
 */
export const SLOT_US = 1_000;
const SLOTS = 2_000;
// At least this many calls per mini-batch, for every variant alike: the first call after another
// variant ran finds colder caches, and a variant timed one call at a time would pay that on
// every sample while a cheaper neighbour amortized it.
export const MIN_CALLS = 4;
const CALIBRATE_MS = 50;

export const VARIANTS = [
  'cookbook',
  'oursCold',
  'oursWarm',
  'oursWarmRevocations',
  'joseFloor',
  'physicalFloor',
] as const;
export type Variant = (typeof VARIANTS)[number];

export type GetSessionFigures = {
  /** Median over mini-batches of the per-call time, microseconds. */
  perCallUs: Record<Variant, number>;
  /** Median over slots of the per-slot ratio. */
  ratios: {
    coldOverJoseFloor: number;
    warmOverPhysicalFloor: number;
    cookbookOverWarm: number;
    warmRevocationsOverPhysicalFloor: number;
  };
  slots: number;
  callsPerBatch: Record<Variant, number>;
  sealedCookieBytes: number;
  accessTokenBytes: number;
};

export type Call = () => unknown;

export async function timeBatch(call: Call, calls: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1e3; // µs
}

/** Per-call estimate after a warm-up of CALIBRATE_MS (JIT, JWKS fetches, key imports). */
export async function calibrate(call: Call): Promise<number> {
  let calls = 1;
  for (;;) {
    const us = await timeBatch(call, calls);
    if (us >= CALIBRATE_MS * 1000 || calls >= 1 << 22) return us / calls;
    calls *= 2;
  }
}

export async function measureGetSession(log: (line: string) => void): Promise<GetSessionFigures> {
  const idpUrl = getConfig().scalekit.envUrl;
  const { session } = await signInThroughRoutes(USERS.alice);
  const sealed = session.sk_access_token;
  const opened = await openAccessCookie(sealed);
  if (!opened) throw new Error('could not open the session cookie just issued');
  const token = opened.at;

  // Our side reads the sealed cookies the way getSession() does (sessionFromCookies over the request's
  // cookies); the cookbook reads its raw token cookie. cookies() itself is the same for both.
  const ourCookies = {
    getAll: () => Object.entries(session).map(([name, value]) => ({ name, value: String(value) })),
  };
  const cookbookJar = new Map([['sk_access_token', { value: token }]]);
  const cookbookCookies = { get: (name: string) => cookbookJar.get(name) };
  const { clientId, clientSecret } = getConfig().scalekit;
  const scalekit = createCookbookClient(idpUrl, clientId, clientSecret);

  // Floors: keys prepared once, as a server would keep them.
  const jwks = (await (await fetch(`${idpUrl}/keys`)).json()) as JSONWebKeySet;
  const localKeySet = createLocalJWKSet(jwks);
  const rawKey = cookieKey(getConfig().cookieSecrets[0]!);
  const aesKey = await webcrypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['decrypt']);
  const kid = decodeProtectedHeader(token).kid ?? '';
  const rsaKey = rsaPublicKey(jwks as never, kid);

  const calls: Record<Variant, Call> = {
    cookbook: () => cookbookGetSession(scalekit, cookbookCookies),
    oursCold: () => {
      clearSessionMemo();
      return sessionFromCookies(ourCookies, { secure: false });
    },
    oursWarm: () => sessionFromCookies(ourCookies, { secure: false }),
    // The same warm call while other sessions are revoked (see `around` below): the memo hit then
    // also looks up this session's app id and IdP sid in the deny set.
    oursWarmRevocations: () => sessionFromCookies(ourCookies, { secure: false }),
    joseFloor: async () => {
      const { plaintext } = await compactDecrypt(sealed, aesKey);
      const { payload } = await jwtVerify(token, localKeySet);
      return plaintext.length > 0 && payload.sub;
    },
    physicalFloor: physicalFloor(sealed, token, rawKey, rsaKey),
  };

  // Every variant must succeed on this session, or we would be timing a failure path.
  const userId = 'usr_01HALICE0000000000000001';
  const cold = (await calls.oursCold()) as Awaited<ReturnType<typeof sessionFromCookies>>;
  const warm = (await calls.oursWarm()) as Awaited<ReturnType<typeof sessionFromCookies>>;
  const cookbook = (await calls.cookbook()) as Awaited<ReturnType<typeof cookbookGetSession>>;
  if (cold.status !== 'authenticated' || cold.user.id !== userId) throw new Error('cold failed');
  if (warm.status !== 'authenticated' || warm !== (await calls.oursWarm())) {
    throw new Error('warm path did not hit the memo');
  }
  if (cookbook?.sub !== userId) throw new Error('cookbook getSession rejected the session');
  if ((await calls.joseFloor()) !== userId) throw new Error('jose floor failed');
  calls.physicalFloor();

  // A production deny set: REVOKED other sessions, each by app id and IdP sid. Filled only around
  // oursWarmRevocations' batches, so every other variant runs with the empty set as before.
  const REVOKED = 10_000;
  const revokedKeys = Array.from({ length: REVOKED }, (_, i) => [
    sessionIdKey(`bench-app-session-${i}`),
    idpSessionKey(`ses_bench${i}`),
  ]).flat();
  const denied = deniedSessions();
  const around: Partial<Record<Variant, { before(): void; after(): void }>> = {
    oursWarmRevocations: {
      before: () => {
        const until = Date.now() + 3_600_000;
        for (const key of revokedKeys) denied.set(key, until);
      },
      after: () => denied.clear(),
    },
  };
  const run = async (v: Variant, batch: number) => {
    around[v]?.before();
    try {
      return await timeBatch(calls[v], batch);
    } finally {
      around[v]?.after();
    }
  };
  around.oursWarmRevocations!.before();
  const revokedWarm = await calls.oursWarmRevocations();
  around.oursWarmRevocations!.after();
  if (revokedWarm !== warm) throw new Error('warm path with revocations did not hit the memo');

  const callsPerBatch = {} as Record<Variant, number>;
  for (const v of VARIANTS) {
    around[v]?.before();
    callsPerBatch[v] = Math.max(MIN_CALLS, Math.round(SLOT_US / (await calibrate(calls[v]))));
    around[v]?.after();
  }
  log(`getSession: ${SLOTS} slots, calls per mini-batch ${JSON.stringify(callsPerBatch)}`);

  const samples = Object.fromEntries(VARIANTS.map((v) => [v, [] as number[]])) as Record<
    Variant,
    number[]
  >;
  const ratioSamples: Record<keyof GetSessionFigures['ratios'], number[]> = {
    coldOverJoseFloor: [],
    warmOverPhysicalFloor: [],
    cookbookOverWarm: [],
    warmRevocationsOverPhysicalFloor: [],
  };
  for (let slot = 0; slot < SLOTS; slot++) {
    const perCall = {} as Record<Variant, number>;
    for (let i = 0; i < VARIANTS.length; i++) {
      const v = VARIANTS[(slot + i) % VARIANTS.length]!;
      perCall[v] = (await run(v, callsPerBatch[v])) / callsPerBatch[v];
      samples[v].push(perCall[v]);
    }
    ratioSamples.coldOverJoseFloor.push(perCall.oursCold / perCall.joseFloor);
    ratioSamples.warmOverPhysicalFloor.push(perCall.oursWarm / perCall.physicalFloor);
    ratioSamples.cookbookOverWarm.push(perCall.cookbook / perCall.oursWarm);
    ratioSamples.warmRevocationsOverPhysicalFloor.push(
      perCall.oursWarmRevocations / perCall.physicalFloor,
    );
  }

  return {
    perCallUs: Object.fromEntries(VARIANTS.map((v) => [v, median(samples[v])])) as Record<
      Variant,
      number
    >,
    ratios: {
      coldOverJoseFloor: median(ratioSamples.coldOverJoseFloor),
      warmOverPhysicalFloor: median(ratioSamples.warmOverPhysicalFloor),
      cookbookOverWarm: median(ratioSamples.cookbookOverWarm),
      warmRevocationsOverPhysicalFloor: median(ratioSamples.warmRevocationsOverPhysicalFloor),
    },
    slots: SLOTS,
    callsPerBatch,
    sealedCookieBytes: sealed.length,
    accessTokenBytes: token.length,
  };
}

export type TrackFigures = {
  /** Median over mini-batches of one analytics.track() call, microseconds. */
  trackUs: number;
  batches: number;
  callsPerBatch: number;
  sinks: readonly string[];
};

/**
 * `analytics.track()` as a route handler calls it: one event object, the user's recent-activity
 * entry and the batch queue, with the hand-off of every 10th event to the sinks' buffers (each
 * call is awaited, so those microtasks run inside the timing). The sinks' own I/O runs after,
 * off the request path, and is not part of the figure.
 */
export async function measureTrack(log: (line: string) => void): Promise<TrackFigures> {
  const { analytics } = await import('@/lib/server/analytics/analytics');
  const props = { method: 'conn_01HACMEOKTA0000000000001', organization: 'org_01HACME' };
  let n = 0;
  const call: Call = () => analytics.track(`usr_bench_${n++ % 1000}`, 'signed_in', props);
  const callsPerBatch = Math.max(MIN_CALLS, Math.round(SLOT_US / (await calibrate(call))));
  const samples: number[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    samples.push((await timeBatch(call, callsPerBatch)) / callsPerBatch);
  }
  analytics.flush();
  const sinks = getConfig().analytics.sinks;
  log(`analytics.track: ${SLOTS} batches of ${callsPerBatch} calls, sinks [${sinks.join(', ')}]`);
  return { trackUs: median(samples), batches: SLOTS, callsPerBatch, sinks };
}
