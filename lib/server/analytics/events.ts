import type { AuthCode } from '@/lib/auth/outcomes';

/** A property value: what JSON can carry, checked for depth and size where it enters. */
export type PropValue =
  string | number | boolean | null | PropValue[] | { [key: string]: PropValue };
export type EventProps = { [key: string]: PropValue };

/** Browser context, attached by lib/client/analytics.ts and sanitized by ./validate.ts. */
export type BrowserContext = {
  userAgent?: string;
  locale?: string;
  screen?: { width: number; height: number };
  /** Origin only: another site's path and query are theirs, and may carry their tokens. */
  referrer?: string;
  /** This app's path, without query or fragment. */
  url?: string;
};

/**
 * One event as every sink receives it. `userId` is the verified session's subject (or null for
 * the flow's anonymous events), never anything a client sent; `at` is this server's receive time.
 */
export type AnalyticsEvent = {
  name: string;
  userId: string | null;
  source: 'server' | 'browser';
  props: EventProps;
  /** Server receive time, ms since the epoch. */
  at: number;
  /** The browser's clock when the event was tracked, ms since the epoch; informative only. */
  clientAt?: number;
  context?: BrowserContext;
};

/** The wire form (NDJSON, Redis, webhook): times as ISO strings. */
export function toWire(event: AnalyticsEvent) {
  return {
    name: event.name,
    userId: event.userId,
    source: event.source,
    at: new Date(event.at).toISOString(),
    ...(event.clientAt === undefined ? {} : { clientAt: new Date(event.clientAt).toISOString() }),
    props: event.props,
    ...(event.context ? { context: event.context } : {}),
  };
}
export type WireEvent = ReturnType<typeof toWire>;

/**
 * The flow's own lifecycle events and their properties. Each carries codes and ids only: never a
 * token, a cookie or a secret (tests/analytics-auth-events.test.ts checks a whole sign-in trail).
 */
export type AuthEvents = {
  /** `method`: the connection Scalekit says the user came through (`amr`), e.g. conn_…. */
  signed_in: { method: string; organization: string | null };
  sign_in_failed: { code: AuthCode };
  signed_out: Record<string, never>;
  session_refreshed: Record<string, never>;
  session_ended: { reason: AuthCode };
  idp_unavailable: { stage: 'sign_in' | 'refresh' };
  permission_denied: { role?: string; permission?: string };
};
export type AuthEventName = keyof AuthEvents;

export const AUTH_EVENT_NAMES: readonly AuthEventName[] = [
  'signed_in',
  'sign_in_failed',
  'signed_out',
  'session_refreshed',
  'session_ended',
  'idp_unavailable',
  'permission_denied',
];
