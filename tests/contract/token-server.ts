// A small fixture IdP for the contract tests: it serves exactly what Scalekit documents for the
// calls the SDK and the app make (/keys, /.well-known/openid-configuration, /oauth/token with
// client_secret_post), over real HTTP on loopback, and answers each code or refresh token with
// the tokens a test registered for it. The tokens themselves are the documented shapes
// (tests/contract/shapes.ts), signed with this server's own test key.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export type TokenResponse = {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in?: number;
  token_type?: string;
};

export type ContractIdp = {
  url: string;
  clientId: string;
  clientSecret: string;
  sign(claims: JWTPayload): Promise<string>;
  /** The answer to the next exchange of `code` (single use, like Scalekit's codes). */
  answerCode(code: string, response: TokenResponse): void;
  /** The answer to the next use of `refreshToken` (single use: it rotates). */
  answerRefresh(refreshToken: string, response: TokenResponse): void;
  /** What discovery advertises as `issuer` (default: the server's own URL); null → 500. */
  advertise(issuer: string | null | undefined): void;
  discoveryRequests(): number;
  close(): Promise<void>;
};

/** OIDC Core 3.1.3.6 at_hash for RS256: left half of SHA-256 of the ASCII token, base64url. */
export const atHash = (accessToken: string) =>
  createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startContractIdp({
  clientId = 'skc_58327482062864390',
  clientSecret = 'test_contract_secret_not_real',
}: { clientId?: string; clientSecret?: string } = {}): Promise<ContractIdp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `snk_${randomBytes(8).toString('hex')}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, TokenResponse>();
  const refreshes = new Map<string, TokenResponse>();
  let advertised: string | null | undefined;
  let discoveryHits = 0;
  let url = '';

  const server = createServer(async (req, res) => {
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(value));
    };
    const path = new URL(req.url ?? '/', 'http://fixture.invalid').pathname;
    if (req.method === 'GET' && path === '/keys') return send(200, { keys: [jwk] });
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      discoveryHits += 1;
      if (advertised === null) return send(500, { error: 'server_error' });
      return send(200, {
        issuer: advertised ?? url,
        jwks_uri: `${url}/keys`,
        authorization_endpoint: `${url}/oauth/authorize`,
        token_endpoint: `${url}/oauth/token`,
        end_session_endpoint: `${url}/oidc/logout`,
      });
    }
    if (req.method === 'POST' && path === '/oauth/token') {
      const form = await body(req);
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return send(401, { error: 'invalid_client' });
      }
      const grant = form.get('grant_type');
      const [store, key] =
        grant === 'authorization_code'
          ? [codes, form.get('code')]
          : grant === 'refresh_token'
            ? [refreshes, form.get('refresh_token')]
            : [undefined, null];
      const answer = store && key ? store.get(key) : undefined;
      if (!store || !key || !answer) return send(400, { error: 'invalid_grant' });
      store.delete(key);
      return send(200, { token_type: 'Bearer', expires_in: 299, ...answer });
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    clientId,
    clientSecret,
    sign: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey),
    answerCode: (code, response) => void codes.set(code, response),
    answerRefresh: (refreshToken, response) => void refreshes.set(refreshToken, response),
    advertise: (issuer) => {
      advertised = issuer;
    },
    discoveryRequests: () => discoveryHits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
