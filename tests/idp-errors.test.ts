// Pins how the real @scalekit-sdk/node reports a failed refresh, and how lib/server/scalekit.ts reads
// it. The SDK rewraps errors and drops the HTTP status, so the classifier depends on the SDK's
// message format; an SDK update that changes it must fail here, not turn outages into logouts.
// The server below is a plain HTTP listener that answers the token endpoint with a chosen status.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScalekitClient } from '@scalekit-sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyIdpError } from '@/lib/server/scalekit';

let server: http.Server;
let baseUrl: string;
let answer: (res: http.ServerResponse) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    answer(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

/** What refreshAccessToken throws when the token endpoint behaves as `respond` says. */
async function sdkError(respond: (res: http.ServerResponse) => void, url = baseUrl) {
  answer = respond;
  const sdk = new ScalekitClient(url, 'skc_contract', 'contract_secret', { timeoutMs: 500 });
  try {
    await sdk.refreshAccessToken('rt_contract_test');
  } catch (error) {
    return error;
  }
  throw new Error('refreshAccessToken resolved');
}

const status = (code: number, body: object) => (res: http.ServerResponse) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('classifying what the real SDK throws', () => {
  it.each([
    [400, { error: 'invalid_grant' }],
    [401, { error: 'invalid_client' }],
    [403, { error: 'access_denied' }],
  ])('HTTP %i is "rejected": the IdP decided about the token', async (code, body) => {
    const error = await sdkError(status(code, body));
    expect((error as Error).message).toBe(
      `Failed to refresh token: Request failed with status code ${code}`,
    );
    expect(classifyIdpError(error)).toBe('rejected');
  });

  it.each([
    [408, { error: 'timeout' }],
    [429, { error: 'rate_limited' }],
    [500, { error: 'server_error' }],
    [502, {}],
    [503, { error: 'temporarily_unavailable' }],
    [504, {}],
  ])('HTTP %i is "unavailable": not now is not no', async (code, body) => {
    expect(classifyIdpError(await sdkError(status(code, body)))).toBe('unavailable');
  });

  it('a timeout (the IdP never answers) is "unavailable"', async () => {
    const error = await sdkError(() => {});
    expect((error as Error).message).toMatch(/timeout of 500ms exceeded/);
    expect(classifyIdpError(error)).toBe('unavailable');
  });

  it('a dropped connection is "unavailable"', async () => {
    const error = await sdkError((res) => res.socket?.destroy());
    expect(classifyIdpError(error)).toBe('unavailable');
  });

  it('a refused connection is "unavailable"', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const error = await sdkError(() => {}, `http://127.0.0.1:${port}`);
    expect(classifyIdpError(error)).toBe('unavailable');
  });

  it('a 200 that is not a token response is "unavailable", never a logout', async () => {
    const error = await sdkError(status(200, { hello: 'proxy login page' }));
    expect(classifyIdpError(error)).toBe('unavailable');
  });

  it('error messages carry no token or secret', async () => {
    const error = await sdkError(status(400, { error: 'invalid_grant' }));
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toMatch(
      /rt_contract_test|contract_secret/,
    );
  });
});
