import { AUTH_EVENT_NAMES, type BrowserContext, type EventProps, type PropValue } from './events';

/** Limits on what a browser may send in one POST /api/events. */
export const LIMITS = {
  bodyBytes: 64 * 1024,
  events: 50,
  nameLength: 64,
  depth: 3,
  keysPerObject: 25,
  keyLength: 40,
  arrayItems: 25,
  stringLength: 500,
  propsBytes: 4 * 1024,
  urlLength: 2048,
} as const;

/** `checkout.completed`, `button_clicked`, `docs.page:viewed`: lower case, dots or colons between words. */
export const EVENT_NAME = /^[a-z][a-z0-9_]*(?:[.:][a-z0-9_]+)*$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const LOCALE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$/;

export type ClientEvent = {
  name: string;
  props: EventProps;
  clientAt?: number;
  context?: BrowserContext;
};

export type Checked =
  { ok: true; events: ClientEvent[] } | { ok: false; status: 400 | 413; reason: string };

const reserved = new Set<string>(AUTH_EVENT_NAMES);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

class Invalid extends Error {}

function prop(value: unknown, path: string, depth: number): PropValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Invalid(`${path}: numbers must be finite`);
    return value;
  }
  if (typeof value === 'string') {
    if (value.length > LIMITS.stringLength) {
      throw new Invalid(`${path}: strings may be at most ${LIMITS.stringLength} characters`);
    }
    return value;
  }
  if (depth >= LIMITS.depth) {
    throw new Invalid(`${path}: properties may nest at most ${LIMITS.depth} levels deep`);
  }
  if (Array.isArray(value)) {
    if (value.length > LIMITS.arrayItems) {
      throw new Invalid(`${path}: arrays may hold at most ${LIMITS.arrayItems} items`);
    }
    return value.map((item, i) => prop(item, `${path}[${i}]`, depth + 1));
  }
  if (isPlainObject(value)) return object(value, path, depth + 1);
  throw new Invalid(`${path}: must be a string, number, boolean, null, array or object`);
}

function object(value: Record<string, unknown>, path: string, depth: number): EventProps {
  const keys = Object.keys(value);
  if (keys.length > LIMITS.keysPerObject) {
    throw new Invalid(`${path}: objects may have at most ${LIMITS.keysPerObject} keys`);
  }
  // A null prototype: a key named __proto__ is then only a key.
  const out: EventProps = Object.create(null) as EventProps;
  for (const key of keys) {
    if (key.length > LIMITS.keyLength || !KEY.test(key)) {
      throw new Invalid(
        `${path}: property names are letters, digits, _ . - (at most ${LIMITS.keyLength}, not starting with a digit)`,
      );
    }
    out[key] = prop(value[key], `${path}.${key}`, depth);
  }
  return out;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

// Security: only this app's path survives from `url` and only the origin from `referrer`: a
// query string or fragment can carry a code, a token or another site's secrets.
function pathOnly(value: unknown, appOrigin: string): string | undefined {
  const raw = text(value, LIMITS.urlLength);
  if (!raw || !URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.origin === appOrigin ? url.pathname : undefined;
}

function originOnly(value: unknown): string | undefined {
  const raw = text(value, LIMITS.urlLength);
  if (!raw || !URL.canParse(raw)) return undefined;
  const { origin, protocol } = new URL(raw);
  return protocol === 'https:' || protocol === 'http:' ? origin : undefined;
}

function context(value: unknown, path: string, appOrigin: string, userAgent: string | null) {
  if (value !== undefined && !isPlainObject(value)) throw new Invalid(`${path}: must be an object`);
  const c = value ?? {};
  const out: BrowserContext = {};
  // The header, not the body: the browser sends it on every request anyway.
  const ua = text(userAgent ?? undefined, 512);
  if (ua) out.userAgent = ua;
  const locale = text(c.locale, 35);
  if (locale && LOCALE.test(locale)) out.locale = locale;
  if (isPlainObject(c.screen)) {
    const { width, height } = c.screen;
    const ok = (n: unknown): n is number =>
      Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 100_000;
    if (ok(width) && ok(height)) out.screen = { width, height };
  }
  const referrer = originOnly(c.referrer);
  if (referrer) out.referrer = referrer;
  const url = pathOnly(c.url, appOrigin);
  if (url) out.url = url;
  return out;
}

/**
 * Checks a parsed POST /api/events body and returns what may be stored: names, properties,
 * sanitized context. Anything else the body holds (a `userId` above all) is ignored: identity
 * comes from the session alone. The first problem found is the reason; nothing is kept then.
 */
export function checkBatch(body: unknown, appOrigin: string, userAgent: string | null): Checked {
  if (!isPlainObject(body) || !Array.isArray(body.events)) {
    return {
      ok: false,
      status: 400,
      reason: 'The body must be a JSON object with an "events" array.',
    };
  }
  const list = body.events;
  if (list.length === 0) return { ok: false, status: 400, reason: '"events" is empty.' };
  if (list.length > LIMITS.events) {
    return {
      ok: false,
      status: 413,
      reason: `At most ${LIMITS.events} events per request (got ${list.length}); send them in several batches.`,
    };
  }
  try {
    const events = list.map((raw, i): ClientEvent => {
      const path = `events[${i}]`;
      if (!isPlainObject(raw)) throw new Invalid(`${path}: must be an object`);
      const { name } = raw;
      if (typeof name !== 'string' || name.length > LIMITS.nameLength || !EVENT_NAME.test(name)) {
        throw new Invalid(
          `${path}.name: must be lower-case words joined by . : or _ (e.g. checkout.completed), at most ${LIMITS.nameLength} characters`,
        );
      }
      // Security: the lifecycle events are the server's own testimony; a page cannot claim them.
      if (reserved.has(name))
        throw new Invalid(`${path}.name: "${name}" is reserved for the server`);
      if (raw.props !== undefined && !isPlainObject(raw.props)) {
        throw new Invalid(`${path}.props: must be an object`);
      }
      const props = raw.props === undefined ? {} : object(raw.props, `${path}.props`, 1);
      if (JSON.stringify(props).length > LIMITS.propsBytes) {
        throw new Invalid(`${path}.props: at most ${LIMITS.propsBytes} bytes of JSON`);
      }
      const event: ClientEvent = { name, props: { ...props } };
      if (typeof raw.ts === 'number' && Number.isFinite(raw.ts) && raw.ts > 0)
        event.clientAt = raw.ts;
      event.context = context(raw.context, `${path}.context`, appOrigin, userAgent);
      return event;
    });
    return { ok: true, events };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, status: 400, reason: error.message };
    throw error;
  }
}
