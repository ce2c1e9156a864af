import { vi } from 'vitest';
import { NextRequest } from 'next/server';
import { analytics } from '@/lib/server/analytics/analytics';
import type { WireEvent } from '@/lib/server/analytics/events';
import { resetAnalytics, resetConfig } from '@/lib/server/testing';
import { appUrl } from './routes';

/**
 * Analytics on the real stdout sink (NDJSON), with the lines the app writes captured. Returns
 * `events()`: everything delivered so far (it flushes first), and `raw()`: the lines as written.
 */
export async function captureAnalytics(env: Record<string, string> = {}) {
  process.env.ANALYTICS_SINKS = 'stdout';
  Object.assign(process.env, env);
  resetConfig();
  await resetAnalytics();
  const lines: string[] = [];
  const real = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((
    chunk: unknown,
    ...rest: never[]
  ) => {
    const text = String(chunk);
    if (!text.startsWith('{"analytics":')) return real(chunk as string, ...rest);
    lines.push(...text.split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write);
  return {
    async events(): Promise<WireEvent[]> {
      analytics.flush();
      await new Promise((r) => setTimeout(r, 20));
      return lines.map((line) => (JSON.parse(line) as { analytics: WireEvent }).analytics);
    },
    raw: () => lines.join('\n'),
    async stop() {
      spy.mockRestore();
      for (const key of ['ANALYTICS_SINKS', ...Object.keys(env)]) delete process.env[key];
      process.env.ANALYTICS_SINKS = 'none';
      resetConfig();
      await resetAnalytics();
    },
  };
}

/** A POST /api/events as a same-origin page sends it, unless `headers` say otherwise. */
export function eventsRequest(
  body: unknown,
  {
    cookies = {},
    headers = {},
  }: { cookies?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('; ');
  return new NextRequest(new URL('/api/events', appUrl()), {
    method: 'POST',
    headers: {
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
