import { ConnectError, Code } from '@connectrpc/connect';
import { ScalekitServerException } from '@scalekit-sdk/node';
import { describe, expect, it } from 'vitest';
import { AuthError } from '@/lib/auth/outcomes';
import { assertOwnSession, isActive, isSessionIdShape, sessionApiFailure } from './idp-sessions';

const grpc = (code: Code) =>
  ScalekitServerException.promote(new ConnectError('[x] from the IdP', code));

describe('session API failures', () => {
  it('unknown or malformed ids are the caller’s 404', () => {
    expect(sessionApiFailure(grpc(Code.NotFound)).code).toBe('session_not_found');
    expect(sessionApiFailure(grpc(Code.InvalidArgument)).code).toBe('session_not_found');
  });

  it('everything else is the IdP’s unavailability (503, the session is kept), never a 404', () => {
    for (const code of [
      Code.Unavailable,
      Code.DeadlineExceeded,
      Code.Internal,
      Code.Unauthenticated,
      Code.PermissionDenied,
      Code.ResourceExhausted,
    ]) {
      expect(sessionApiFailure(grpc(code)).code).toBe('idp_unavailable');
    }
    expect(sessionApiFailure(new Error('connect ECONNREFUSED')).code).toBe('idp_unavailable');
    expect(sessionApiFailure(new AuthError('session_not_found')).code).toBe('session_not_found');
  });
});

describe('session ids', () => {
  it('only Scalekit-shaped ids pass', () => {
    expect(isSessionIdShape('ses_01HXYZ')).toBe(true);
    for (const bad of ['', 'ses_', 'usr_1', 'ses_1/../x', `ses_${'a'.repeat(65)}`, 42, null]) {
      expect(isSessionIdShape(bad)).toBe(false);
    }
  });

  it('a malformed id is "not found" before any call to the IdP', async () => {
    await expect(assertOwnSession('usr_1', 'DROP TABLE')).rejects.toMatchObject({
      code: 'session_not_found',
    });
  });

  it('status is compared without case (the docs show both active and ACTIVE)', () => {
    expect(isActive({ status: 'ACTIVE' })).toBe(true);
    expect(isActive({ status: 'active' })).toBe(true);
    expect(isActive({ status: 'revoked' })).toBe(false);
  });
});
