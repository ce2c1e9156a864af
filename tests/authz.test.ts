import { describe, expect, it } from 'vitest';
import { authorizeRequest, meets } from '@/lib/server/authz';
import { request, signInThroughRoutes, USERS } from './helpers/routes';

describe('meets', () => {
  const member = { roles: ['member'], permissions: ['org:read', 'api:read'] };

  it('checks roles and permissions exactly, and both when both are asked for', () => {
    expect(meets(member, { permission: 'api:read' })).toBe(true);
    expect(meets(member, { role: 'member' })).toBe(true);
    expect(meets(member, { role: 'admin' })).toBe(false);
    expect(meets(member, { permission: 'org:write' })).toBe(false);
    expect(meets(member, { role: 'member', permission: 'org:write' })).toBe(false);
    // No prefix or wildcard matching: "org" is not "org:read".
    expect(meets(member, { permission: 'org' })).toBe(false);
    expect(meets(member, { role: 'mem' })).toBe(false);
  });
});

describe('authorizeRequest (route handlers)', () => {
  const withSession = (cookie: string) =>
    request('/api/anything', { cookies: { sk_access_token: cookie } });

  it('lets alice (admin) through and returns her verified session', async () => {
    const { session } = await signInThroughRoutes(USERS.alice);
    const auth = await authorizeRequest(withSession(session.sk_access_token), {
      role: 'admin',
      permission: 'members:invite',
    });
    expect(auth.ok).toBe(true);
    if (auth.ok) expect(auth.session.user.email).toBe('alice@example.com');
  });

  it('answers 403 for bob (member) on an admin permission, saying what is missing', async () => {
    const { session } = await signInThroughRoutes(USERS.bob);
    const auth = await authorizeRequest(withSession(session.sk_access_token), {
      permission: 'members:invite',
    });
    expect(auth.ok).toBe(false);
    if (auth.ok) return;
    expect(auth.response.status).toBe(403);
    expect(auth.response.headers.get('cache-control')).toContain('no-store');
    expect(await auth.response.json()).toEqual({
      error: 'forbidden',
      required: { permission: 'members:invite' },
    });
    // …while what bob does hold is allowed.
    const read = await authorizeRequest(withSession(session.sk_access_token), {
      permission: 'api:read',
    });
    expect(read.ok).toBe(true);
  });

  it('reads a chunked session cookie (dave: 200 permissions) like any other', async () => {
    const { cookies } = await signInThroughRoutes(USERS.dave);
    const chunks = Object.fromEntries(
      Object.entries(cookies)
        .filter(([name, c]) => name.startsWith('sk_access_token.') && c.value)
        .map(([name, c]) => [name, c.value]),
    );
    expect(Object.keys(chunks).length).toBeGreaterThan(1);
    const auth = await authorizeRequest(request('/api/anything', { cookies: chunks }), {
      permission: 'project-100:write',
    });
    expect(auth.ok).toBe(true);
    if (auth.ok) expect(auth.session.user.email).toBe('dave@example.com');
  });

  it('answers 401 with no session or a forged cookie, never 403', async () => {
    for (const req of [request('/api/anything'), withSession('forged.cookie.value.x.y')]) {
      const auth = await authorizeRequest(req, { permission: 'api:read' });
      expect(auth.ok).toBe(false);
      if (!auth.ok) {
        expect(auth.response.status).toBe(401);
        expect(await auth.response.json()).toEqual({ error: 'unauthenticated' });
      }
    }
  });
});
