'use client';

import * as React from 'react';

function format(seconds: number): string {
  if (seconds <= 0) return 'expired (renewed on the next request)';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * Counts down the access token's remaining lifetime. It starts from the seconds the server
 * computed, not from the expiry timestamp, so a browser clock that is off does not matter, and
 * the first client render matches the server's HTML.
 */
function TokenLifetime({ expiresIn, expiresAt }: { expiresIn: number; expiresAt: number }) {
  const [left, setLeft] = React.useState(expiresIn);
  React.useEffect(() => {
    const start = Date.now();
    const timer = setInterval(() => {
      setLeft(Math.max(0, expiresIn - Math.floor((Date.now() - start) / 1000)));
    }, 1000);
    return () => clearInterval(timer);
  }, [expiresIn]);
  return (
    <time dateTime={new Date(expiresAt * 1000).toISOString()} data-seconds-left={left}>
      {format(left)}
    </time>
  );
}

export { TokenLifetime };
