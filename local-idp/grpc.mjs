// Scalekit's SessionService as the SDK calls it: gRPC (binary protobuf) over HTTP/2 on the
// environment origin, next to the HTTP/1.1 OAuth endpoints. Served by a real gRPC server
// (connect-node with only the gRPC protocol on) from the SDK's own generated service definition.
import http2 from 'node:http2';

import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import errdetailsPb from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/errdetails/errdetails_pb.js';
import sessionsPb from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/sessions/sessions_pb.js';

import { SESSION_STATUSES } from './sessions.mjs';

const {
  SessionService,
  SessionDetailsSchema,
  RevokedSessionDetailsSchema,
  DeviceDetailsSchema,
  LocationSchema,
} = sessionsPb;
const { ErrorInfoSchema } = errdetailsPb;

const SESSION_ID = /^ses_[A-Za-z0-9]{1,64}$/;
const USER_ID = /^usr_[A-Za-z0-9]{1,64}$/;
// Silent in Scalekit's docs; a small default makes a caller that ignores paging visible.
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/**
 * A gRPC error the way the SDK surfaces Scalekit's: status code, message, and an ErrorInfo detail
 * (the SDK's `errorCode`). The codes' spelling is not documented; apps should branch on the
 * exception class (status), never on `errorCode`.
 * @param {Code} code @param {string} message @param {string} errorCode
 */
const fail = (code, message, errorCode) =>
  new ConnectError(message, code, undefined, [{ desc: ErrorInfoSchema, value: { errorCode } }]);

const invalid = (/** @type {string} */ message) =>
  fail(Code.InvalidArgument, message, 'invalid_argument');

/** @param {number | undefined} ms */
const ts = (ms) => (ms === undefined ? undefined : timestampFromMs(ms));

/** @param {import('./sessions.mjs').SessionRecord} r */
function sessionDetails(r) {
  const d = r.device;
  return create(SessionDetailsSchema, {
    sessionId: r.session_id,
    userId: r.user_id,
    authenticatedOrganizations: r.authenticated_organizations,
    organizationId: r.organization_id,
    createdAt: ts(r.created_at),
    updatedAt: ts(r.updated_at),
    idleExpiresAt: ts(r.idle_expires_at),
    absoluteExpiresAt: ts(r.absolute_expires_at),
    expiredAt: ts(r.expired_at),
    logoutAt: ts(r.logout_at),
    status: r.status,
    lastActiveAt: ts(r.last_active_at),
    authenticatedClients: r.authenticated_clients.map((c) => ({
      clientId: c.client_id,
      organizationId: c.organization_id,
    })),
    device: create(DeviceDetailsSchema, {
      userAgent: d.user_agent,
      os: d.os,
      osVersion: d.os_version,
      browser: d.browser,
      browserVersion: d.browser_version,
      deviceType: d.device_type,
      ip: d.ip,
      location: d.location
        ? create(LocationSchema, {
            region: d.location.region ?? '',
            regionSubdivision: d.location.region_subdivision ?? '',
            city: d.location.city ?? '',
            latitude: d.location.latitude ?? '',
            longitude: d.location.longitude ?? '',
          })
        : undefined,
    }),
  });
}

/** @param {import('./sessions.mjs').SessionRecord} r */
const revokedDetails = (r) =>
  create(RevokedSessionDetailsSchema, {
    sessionId: r.session_id,
    userId: r.user_id,
    createdAt: ts(r.created_at),
    updatedAt: ts(r.updated_at),
    idleExpiresAt: ts(r.idle_expires_at),
    absoluteExpiresAt: ts(r.absolute_expires_at),
    expiredAt: ts(r.expired_at),
    logoutAt: ts(r.logout_at),
    status: r.status,
    lastActiveAt: ts(r.last_active_at),
  });

/** @param {string} value */
function sessionId(value) {
  if (!value) throw invalid('session_id is required');
  if (!SESSION_ID.test(value)) throw invalid('session_id is invalid');
  return value;
}

/**
 * @param {{
 *   sessions: import('./sessions.mjs').SessionRecords,
 *   userExists: (userId: string) => boolean,
 *   authorize: (authorization: string | null) => Promise<boolean>,
 *   log: (line: string) => void,
 * }} options
 */
export function createSessionService({ sessions, userExists, authorize, log }) {
  /** @param {string} value */
  function userId(value) {
    if (!value) throw invalid('user_id is required');
    if (!USER_ID.test(value)) throw invalid('user_id is invalid');
    if (!userExists(value)) throw fail(Code.NotFound, 'user not found', 'not_found');
    return value;
  }

  /**
   * Every call needs the client-credentials token (the SDK's first call goes without one and
   * retries after fetching it on Unauthenticated).
   * @template I, O
   * @param {string} name @param {(req: I) => O} fn
   */
  const authed = (name, fn) => async (/** @type {I} */ req, /** @type {any} */ ctx) => {
    if (!(await authorize(ctx.requestHeader.get('authorization')))) {
      log(`SessionService/${name}: unauthenticated`);
      throw fail(Code.Unauthenticated, 'invalid or missing access token', 'unauthenticated');
    }
    return fn(req);
  };

  const impl = {
    getSession: authed('GetSession', (/** @type {any} */ req) => {
      const record = sessions.get(sessionId(req.sessionId));
      if (!record) throw fail(Code.NotFound, 'session not found', 'not_found');
      return sessionDetails(record);
    }),

    getUserSessions: authed('GetUserSessions', (/** @type {any} */ req) => {
      const uid = userId(req.userId);
      if (req.pageSize > MAX_PAGE_SIZE) throw invalid(`page_size must be at most ${MAX_PAGE_SIZE}`);
      const size = req.pageSize || DEFAULT_PAGE_SIZE;
      let offset = 0;
      if (req.pageToken) {
        const m = /^o(\d{1,6})$/.exec(Buffer.from(req.pageToken, 'base64url').toString('latin1'));
        if (!m) throw invalid('page_token is invalid');
        offset = Number(m[1]);
      }
      const filter = req.filter;
      const statuses = new Set(/** @type {string[]} */ (filter?.status ?? []));
      for (const s of statuses) {
        if (!(/** @type {readonly string[]} */ (SESSION_STATUSES).includes(s)))
          throw invalid(`filter.status must be one of ${SESSION_STATUSES.join(', ')}`);
      }
      const start = filter?.startTime ? timestampDate(filter.startTime).getTime() : undefined;
      const end = filter?.endTime ? timestampDate(filter.endTime).getTime() : undefined;
      if (start !== undefined && end !== undefined && end <= start)
        throw invalid('filter.end_time must be after filter.start_time');
      const matching = sessions
        .listForUser(uid)
        .filter(
          (r) =>
            (statuses.size === 0 || statuses.has(r.status)) &&
            (start === undefined || r.created_at >= start) &&
            (end === undefined || r.created_at < end),
        );
      const page = matching.slice(offset, offset + size);
      const token = (/** @type {number} */ n) =>
        Buffer.from(`o${n}`, 'latin1').toString('base64url');
      return {
        sessions: page.map(sessionDetails),
        nextPageToken: offset + size < matching.length ? token(offset + size) : '',
        prevPageToken: offset > 0 ? token(Math.max(0, offset - size)) : '',
        totalSize: matching.length,
      };
    }),

    revokeSession: authed('RevokeSession', (/** @type {any} */ req) => {
      const record = sessions.revoke(sessionId(req.sessionId));
      if (!record) throw fail(Code.NotFound, 'session not found', 'not_found');
      return { revokedSession: revokedDetails(record) };
    }),

    revokeAllUserSessions: authed('RevokeAllUserSessions', (/** @type {any} */ req) => {
      const revoked = sessions.revokeAll(userId(req.userId));
      return { revokedSessions: revoked.map(revokedDetails), totalRevoked: revoked.length };
    }),
  };

  return connectNodeAdapter({
    // Scalekit speaks gRPC only to the SDK; Connect and gRPC-web are not offered.
    grpc: true,
    grpcWeb: false,
    connect: false,
    // Security: every request message here is a few ids; refuse anything big before decoding.
    readMaxBytes: 64 * 1024,
    routes: (router) => router.service(SessionService, impl),
  });
}

// A connection that has not said which protocol it speaks by then is dropped.
const SNIFF_TIMEOUT_MS = 10_000;
// RFC 9113 §3.4: every HTTP/2 prior-knowledge connection starts with this.
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * Makes an HTTP/1.1 server also speak h2c (prior knowledge) on the same port: each new TCP
 * connection is peeked at, and one that opens with the HTTP/2 preface goes to `h2Handler`.
 * @param {import('node:http').Server} httpServer
 * @param {(req: any, res: any) => void} h2Handler
 * @returns {{ close: () => void }}
 */
export function serveH2cAlongside(httpServer, h2Handler) {
  const h2 = http2.createServer({}, h2Handler);
  /** @type {Set<import('node:http2').ServerHttp2Session>} */
  const h2Sessions = new Set();
  h2.on('session', (session) => {
    h2Sessions.add(session);
    session.on('close', () => h2Sessions.delete(session));
  });
  /** @type {Set<import('node:net').Socket>} */
  const sniffing = new Set();

  const http1Listeners = httpServer.listeners('connection');
  httpServer.removeAllListeners('connection');

  httpServer.on('connection', (/** @type {import('node:net').Socket} */ socket) => {
    sniffing.add(socket);
    /** @type {Buffer[]} */
    const seen = [];
    let length = 0;
    const onError = () => socket.destroy();
    socket.on('error', onError);
    const timer = setTimeout(() => socket.destroy(), SNIFF_TIMEOUT_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      sniffing.delete(socket);
    });
    const decide = (/** @type {boolean} */ isH2) => {
      clearTimeout(timer);
      sniffing.delete(socket);
      socket.removeListener('readable', onReadable);
      socket.removeListener('error', onError);
      socket.unshift(Buffer.concat(seen, length));
      if (isH2) h2.emit('connection', socket);
      else for (const listener of http1Listeners) listener.call(httpServer, socket);
    };
    const onReadable = () => {
      let chunk;
      while ((chunk = socket.read()) !== null) {
        seen.push(chunk);
        length += chunk.length;
        const head = Buffer.concat(seen, length);
        const n = Math.min(length, H2_PREFACE.length);
        if (!head.subarray(0, n).equals(H2_PREFACE.subarray(0, n))) return decide(false);
        if (length >= H2_PREFACE.length) return decide(true);
      }
    };
    socket.on('readable', onReadable);
  });

  return {
    close() {
      for (const socket of sniffing) socket.destroy();
      for (const session of h2Sessions) session.destroy();
      h2.close();
    },
  };
}
