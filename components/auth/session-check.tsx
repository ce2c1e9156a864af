'use client';

import { useState } from 'react';
import { buttonVariants } from '@/components/ui/button-variants';
import { useHydrated } from '@/hooks/use-hydrated';
import { fetchWithRefresh } from '@/lib/client/fetch-with-refresh';

/** Calls an API route from the browser through fetchWithRefresh, as an app's own code would. */
export function SessionCheck() {
  const [result, setResult] = useState<string>();
  const hydrated = useHydrated();
  async function check() {
    setResult('Checking…');
    try {
      const response = await fetchWithRefresh('/api/me', { cache: 'no-store' });
      const body = (await response.json()) as { email?: string; error?: string };
      setResult(response.ok ? `Signed in as ${body.email}` : `Not signed in (${response.status})`);
    } catch {
      setResult('Could not reach the server');
    }
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      {/* buttonVariants, not <Button>: see components/dashboard/track-demo.tsx. */}
      <button
        type="button"
        data-slot="button"
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        aria-disabled={!hydrated || undefined}
        onClick={check}
      >
        Check session from the browser
      </button>
      <span data-testid="session-check" aria-live="polite">
        {result}
      </span>
    </div>
  );
}
