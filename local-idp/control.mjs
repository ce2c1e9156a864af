// Test-only levers: /__control/* endpoints (loopback callers from no other site only), token-endpoint counters and
// fault injection. Nothing here exists at real Scalekit; it lets tests observe and break the IdP.

/** @typedef {'none' | '503' | 'hang' | 'drop'} TokenFault */

export const TOKEN_FAULTS = /** @type {const} */ (['none', '503', 'hang', 'drop']);

/** @param {unknown} value @returns {TokenFault} */
export function parseFault(value) {
  const fault = String(value ?? 'none').trim() || 'none';
  if (!(/** @type {readonly string[]} */ (TOKEN_FAULTS).includes(fault))) {
    throw new Error(`token fault must be one of ${TOKEN_FAULTS.join(', ')}, got "${fault}"`);
  }
  return /** @type {TokenFault} */ (fault);
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** @param {import('node:http').IncomingMessage} req */
function isLoopback(req) {
  const address = req.socket.remoteAddress ?? '';
  return LOOPBACK.has(address) || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Security: a web page can make the browser send requests to loopback (CSRF, DNS rebinding). Only
 * the IdP's own origin, or no browser context at all (tests, curl), may drive the control levers.
 * @param {import('node:http').IncomingMessage} req @param {number} port
 * @returns {string | undefined} why the request is refused
 */
function browserRefusal(req, port) {
  const own = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  if (!own.has(String(req.headers.host ?? '').toLowerCase()))
    return 'control endpoints answer requests for the IdP host only';
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site')
    return 'control endpoints refuse cross-site requests';
  const origin = req.headers.origin;
  if (origin !== undefined && !own.has(origin.replace(/^http:\/\//, '').toLowerCase()))
    return 'control endpoints refuse requests from other origins';
  if (origin !== undefined && !origin.startsWith('http://'))
    return 'control endpoints refuse requests from other origins';
  return undefined;
}

/**
 * A further lever, keyed "METHOD /__control/path": gets the parsed JSON body (or {}) and the
 * query; returns [status, json]. Throwing gives 400 with the message.
 * @typedef {(body: Record<string, any>, query: URLSearchParams) => Promise<[number, unknown]> | [number, unknown]} ControlRoute
 */

/** @param {import('node:http').IncomingMessage} req @param {number} [limit] */
export async function readBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body */
function sendJson(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/**
 * @param {{
 *   tokenPath: string,
 *   port: number,
 *   initialFault?: TokenFault,
 *   rotateSigningKey: () => { kid: string, kids: string[] },
 *   setAccessTokenTtl: (seconds: number) => number,
 *   idpInitiatedLoginUrl: (query: URLSearchParams) => Promise<string>,
 *   routes?: Record<string, ControlRoute>,
 *   log: (line: string) => void,
 * }} options
 */
export function createControl({
  tokenPath,
  port,
  initialFault = 'none',
  rotateSigningKey,
  setAccessTokenTtl,
  idpInitiatedLoginUrl,
  routes = {},
  log,
}) {
  const stats = { tokenRequests: 0, refreshRequests: 0 };
  let fault = initialFault;

  /**
   * Koa middleware in front of oidc-provider's routes: counts token calls and applies the fault.
   * @param {any} ctx @param {() => Promise<void>} next
   */
  async function tokenEndpointGuard(ctx, next) {
    if (ctx.path !== tokenPath || ctx.method !== 'POST') return next();
    stats.tokenRequests += 1;

    if (fault === 'none') {
      await next();
      if (ctx.oidc?.params?.grant_type === 'refresh_token') stats.refreshRequests += 1;
      return;
    }

    // Faulted requests never reach oidc-provider, so the body is ours to read for the counter.
    const body = new URLSearchParams(await readBody(ctx.req).catch(() => ''));
    if (body.get('grant_type') === 'refresh_token') stats.refreshRequests += 1;
    log(`token endpoint fault injected: ${fault}`);

    switch (fault) {
      case '503':
        ctx.status = 503;
        ctx.set('retry-after', '1');
        ctx.set('cache-control', 'no-store');
        ctx.body = {
          error: 'temporarily_unavailable',
          error_description: 'fault injected by the local IdP',
        };
        return;
      case 'hang':
        // Leave the request open; the server's close() destroys such sockets.
        ctx.respond = false;
        return;
      case 'drop':
        ctx.respond = false;
        ctx.req.socket.destroy();
        return;
    }
  }

  /**
   * Handles /__control/*. Returns false for any other path.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://control.invalid');
    if (!pathname.startsWith('/__control/')) return false;

    if (!isLoopback(req)) {
      sendJson(res, 403, {
        error: 'forbidden',
        error_description: 'control endpoints answer loopback callers only',
      });
      return true;
    }
    const refusal = browserRefusal(req, port);
    if (refusal) {
      sendJson(res, 403, { error: 'forbidden', error_description: refusal });
      return true;
    }

    const route = `${req.method} ${pathname}`;
    try {
      switch (route) {
        case 'GET /__control/stats':
          sendJson(res, 200, { ...stats });
          break;
        case 'POST /__control/reset-stats':
          stats.tokenRequests = 0;
          stats.refreshRequests = 0;
          sendJson(res, 200, { ...stats });
          break;
        case 'GET /__control/fault':
          sendJson(res, 200, { token: fault });
          break;
        case 'POST /__control/fault': {
          const raw = await readBody(req);
          const body = raw ? JSON.parse(raw) : {};
          fault = parseFault(body.token);
          log(`token endpoint fault set to: ${fault}`);
          sendJson(res, 200, { token: fault });
          break;
        }
        case 'POST /__control/access-token-ttl': {
          // Lets one e2e run use short-lived tokens for the refresh specs and the default for
          // the rest, without a second IdP and app server.
          const raw = await readBody(req);
          const seconds = Number(raw ? JSON.parse(raw).seconds : NaN);
          if (!Number.isSafeInteger(seconds) || seconds < 1) {
            throw new Error('seconds must be a positive integer');
          }
          sendJson(res, 200, { seconds: setAccessTokenTtl(seconds) });
          break;
        }
        case 'GET /__control/idp-initiated-login':
          // A browser entry (typed, bookmarked): the same loopback and same-site rules as every
          // lever, so another site cannot start an IdP-initiated login in a visitor's browser.
          res.writeHead(302, {
            location: await idpInitiatedLoginUrl(searchParams),
            'cache-control': 'no-store',
          });
          res.end();
          break;
        case 'POST /__control/rotate-signing-key':
          sendJson(res, 200, rotateSigningKey());
          break;
        default: {
          const extra = Object.hasOwn(routes, route) ? routes[route] : undefined;
          if (extra) {
            const raw = req.method === 'POST' ? await readBody(req) : '';
            const [status, body] = await extra(raw ? JSON.parse(raw) : {}, searchParams);
            sendJson(res, status, body);
            break;
          }
          sendJson(res, 404, {
            error: 'not_found',
            error_description: `no control endpoint ${route}`,
          });
        }
      }
    } catch (err) {
      sendJson(res, 400, {
        error: 'invalid_request',
        error_description: /** @type {Error} */ (err).message,
      });
    }
    return true;
  }

  return {
    stats,
    tokenEndpointGuard,
    handle,
    getFault: () => fault,
    /** @param {TokenFault} value */
    setFault(value) {
      fault = parseFault(value);
    },
    resetStats() {
      stats.tokenRequests = 0;
      stats.refreshRequests = 0;
    },
  };
}
