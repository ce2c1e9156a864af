'use client';

import { useSession } from './session-provider';

/** Renders its children only while the session is being renewed (status 'loading'). */
function AuthLoading({ children }: { children: React.ReactNode }) {
  return useSession().status === 'loading' ? children : null;
}

export { AuthLoading };
