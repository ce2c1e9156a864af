'use client';

import * as React from 'react';
import { useAccessToken } from '@/components/auth/use-access-token';
import { buttonVariants } from '@/components/ui/button-variants';
import { useHydrated } from '@/hooks/use-hydrated';

type CallResult =
  | { path: string; status: number; body: unknown }
  | { path: string; status: 'unreachable' | 'no-token'; body: string };

/** The example backend's routes, each guarded by a permission (see examples/api-server). */
const CALLS = [
  { path: '/api/me', permission: 'api:read' },
  { path: '/api/invitations', permission: 'members:invite' },
] as const;

/**
 * Calls a separate backend the way any browser code would: an access token from
 * useAccessToken(), sent as a bearer token. Both calls start at once and share one token request.
 */
function ApiDemo({ apiUrl }: { apiUrl: string }) {
  const { getAccessToken } = useAccessToken();
  const [results, setResults] = React.useState<CallResult[] | null>(null);
  const [pending, setPending] = React.useState(false);
  const hydrated = useHydrated();

  async function call(path: string): Promise<CallResult> {
    let token: string;
    try {
      token = await getAccessToken();
    } catch {
      return { path, status: 'no-token', body: 'No access token: sign in again.' };
    }
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      return { path, status: response.status, body: await response.json() };
    } catch {
      return {
        path,
        status: 'unreachable',
        body: `Could not reach ${apiUrl}. Start it with \`npm run api\`.`,
      };
    }
  }

  async function run() {
    setPending(true);
    try {
      setResults(await Promise.all(CALLS.map((c) => call(c.path))));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      {/* buttonVariants, not <Button>: see components/dashboard/track-demo.tsx. */}
      <button
        type="button"
        data-slot="button"
        className={buttonVariants()}
        onClick={run}
        disabled={pending}
        aria-disabled={!hydrated || undefined}
      >
        {pending ? 'Calling…' : 'Call the API'}
      </button>
      {results && (
        <ul className="space-y-3" aria-live="polite">
          {results.map((r) => {
            const permission = CALLS.find((c) => c.path === r.path)?.permission;
            const ok = typeof r.status === 'number' && r.status < 300;
            return (
              <li
                key={r.path}
                className="rounded-md border p-3 text-sm"
                data-testid={`api-result-${r.path.split('/').pop()}`}
                data-status={r.status}
              >
                <div className="flex flex-wrap items-center gap-2">
                  <code className="font-mono">GET {r.path}</code>
                  <span
                    className={
                      ok
                        ? 'rounded bg-secondary px-1.5 py-0.5 font-mono text-xs text-secondary-foreground'
                        : 'rounded bg-destructive/10 px-1.5 py-0.5 font-mono text-xs text-destructive'
                    }
                  >
                    {r.status}
                  </span>
                  <span className="text-muted-foreground">needs {permission}</span>
                </div>
                <pre className="mt-2 overflow-x-auto rounded bg-muted p-2 font-mono text-xs">
                  {typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2)}
                </pre>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

export { ApiDemo };
