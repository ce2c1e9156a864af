import type { Server } from 'node:http';
import type { JWTPayload } from 'jose';

export type ApiServerConfig = {
  port: number;
  issuer: string;
  audience: string | string[];
  jwksUrl: string;
  allowedOrigin: string;
};

export function configFromEnv(env?: Record<string, string | undefined>): ApiServerConfig;

export function isAccessTokenShape(claims: Record<string, unknown>): boolean;

export type IssuerTrust = {
  list(): string[];
  learn(iss: string): Promise<'trusted' | 'untrusted' | 'unavailable'>;
};

export function issuerTrust(envUrl: string, options?: { retryAfterMs?: number }): IssuerTrust;

export function verifyBearer(
  header: string | undefined,
  options: {
    keys: Parameters<typeof import('jose').jwtVerify>[1];
    issuer: string | IssuerTrust;
    audience: string | string[];
  },
): Promise<
  | { ok: true; claims: JWTPayload & Record<string, unknown> }
  | { ok: false; status: number; error: string }
>;

export function createApiServer(config: ApiServerConfig): Server;

export function startApiServer(
  config: ApiServerConfig,
): Promise<{ url: string; close: () => Promise<void> }>;
