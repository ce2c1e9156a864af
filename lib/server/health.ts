import 'server-only';
import { getConfig } from './config';
import { getRedis } from './redis';
import { isShuttingDown } from './shutdown';

/**
 * Readiness for load balancers (GET /api/health/ready). Cheap enough to call every second: the IdP
 * key probe is cached and shared by concurrent callers, and Redis answers a PING. Reports a word
 * per check, never a URL, a secret or a user.
 */

export type CheckState =
  'ok' | 'draining' | 'invalid' | 'unreachable' | 'not_configured' | 'skipped';

export type Readiness = Readonly<{
  /** `degraded`: serving, with Redis unreachable (refresh coordination falls back in-process). */
  status: 'ready' | 'degraded' | 'not_ready';
  checks: Readonly<{
    shutdown: CheckState;
    config: CheckState;
    idpKeys: CheckState;
    redis: CheckState;
  }>;
  /** The checks that made it not ready (or degraded), by name. */
  failed: readonly string[];
}>;

/** How long one answer from the IdP's key endpoint stands for every caller. */
const KEYS_CACHE_MS = 5_000;
const KEYS_TIMEOUT_MS = 2_000;
const REDIS_TIMEOUT_MS = 1_000;

let keysProbe: { url: string; at: number; result: Promise<CheckState> } | undefined;

/** Whether `${envUrl}/keys` serves at least one key, asked at most once per KEYS_CACHE_MS. */
function idpKeysState(envUrl: string): Promise<CheckState> {
  const url = `${envUrl}/keys`;
  const now = Date.now();
  if (keysProbe?.url === url && now - keysProbe.at < KEYS_CACHE_MS) return keysProbe.result;
  const result = fetch(url, { signal: AbortSignal.timeout(KEYS_TIMEOUT_MS), cache: 'no-store' })
    .then(async (response) => {
      if (!response.ok) return 'unreachable' as const;
      const body = (await response.json()) as { keys?: unknown };
      return Array.isArray(body.keys) && body.keys.length > 0
        ? ('ok' as const)
        : ('unreachable' as const);
    })
    .catch(() => 'unreachable' as const);
  keysProbe = { url, at: now, result };
  return result;
}

async function redisState(): Promise<CheckState> {
  const redis = getRedis();
  if (!redis) return 'not_configured';
  const timeout = new Promise<'unreachable'>((resolve) =>
    setTimeout(() => resolve('unreachable'), REDIS_TIMEOUT_MS).unref(),
  );
  const ping = redis.ping().then(
    (reply) => (reply === 'PONG' ? ('ok' as const) : ('unreachable' as const)),
    () => 'unreachable' as const,
  );
  return Promise.race([ping, timeout]);
}

export async function readiness(): Promise<Readiness> {
  const shutdown: CheckState = isShuttingDown() ? 'draining' : 'ok';
  let config;
  try {
    config = getConfig();
  } catch {
    return verdict({ shutdown, config: 'invalid', idpKeys: 'skipped', redis: 'skipped' });
  }
  const [idpKeys, redis] = await Promise.all([idpKeysState(config.scalekit.envUrl), redisState()]);
  return verdict({ shutdown, config: 'ok', idpKeys, redis });
}

const PASSING: readonly CheckState[] = ['ok', 'not_configured'];

function verdict(checks: Readiness['checks']): Readiness {
  const failed = Object.entries(checks)
    .filter(([, state]) => !PASSING.includes(state) && state !== 'skipped')
    .map(([name]) => name);
  // Redis alone does not take an instance out: every caller falls back to in-process
  // coordination (docs/4-several-instances.md), and failing every replica's readiness at once
  // over a shared dependency would turn that degraded state into an outage.
  const status =
    failed.length === 0
      ? 'ready'
      : failed.every((name) => name === 'redis')
        ? 'degraded'
        : 'not_ready';
  return { status, checks, failed };
}
