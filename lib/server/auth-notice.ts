import 'server-only';
import { cookies } from 'next/headers';
import type { NextResponse } from 'next/server';
import { isKnownAuthCode, type AuthCode } from '@/lib/auth/outcomes';
import { AUTH_NOTICE_COOKIE } from '@/lib/auth/paths';
import type { AppOrigin } from './http';

// Long enough to survive the round trip through the IdP's logout page, short enough that a
// notice never shows up on some later visit.
const NOTICE_MAX_AGE_SECONDS = 120;

/**
 * Leaves a flow outcome for the next page. A cookie, not a query parameter: the post-logout URL
 * is registered at the IdP and must match exactly.
 */
export function setAuthNotice(response: NextResponse, app: AppOrigin, code: AuthCode): void {
  response.cookies.set(AUTH_NOTICE_COOKIE, code, {
    path: '/',
    maxAge: NOTICE_MAX_AGE_SECONDS,
    sameSite: 'lax',
    secure: app.secure,
    httpOnly: false,
  });
}

/** The pending notice's code, only when it is one of ours (the cookie is client-writable). */
export async function readAuthNotice(): Promise<AuthCode | null> {
  const code = (await cookies()).get(AUTH_NOTICE_COOKIE)?.value;
  return isKnownAuthCode(code) ? code : null;
}
