/**
 * Runs once when the server starts. Validating the configuration here makes a deployment with a
 * missing or bad variable fail at boot with a message naming it, not on the first sign-in.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { assertConfigAtStartup } = await import('./lib/server/startup-check');
    assertConfigAtStartup();
    // With REDIS_URL, listen for revocations before serving the first request.
    const { startRevocationFeed } = await import('./lib/server/sessions/broadcast');
    startRevocationFeed();
  }
}
