import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { isAuthError } from '@/lib/auth/outcomes';
import { noStore } from './responses';
import { resolveAppOrigin, type AppOrigin } from './origin';

/**
 * Runs an auth route handler on the request's resolved origin. A host that is not allowed gets a
 * plain 400 before any handler code runs, so no URL is ever built on it.
 */
export function withAppOrigin(
  handler: (request: NextRequest, app: AppOrigin) => Promise<Response>,
): (request: NextRequest) => Promise<Response> {
  return async (request) => {
    let app: AppOrigin;
    try {
      app = resolveAppOrigin(request);
    } catch (error) {
      if (!isAuthError(error, 'host_not_allowed')) throw error;
      console.warn('[auth] request for a host that is not allowed');
      return noStore(new NextResponse('This host is not allowed.', { status: 400 }));
    }
    return handler(request, app);
  };
}
