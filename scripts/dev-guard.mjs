// Security: `npm run dev` must never pair real Scalekit credentials with the bundled local IdP.
// A real client id or secret without an environment URL is a half-finished switch to Scalekit
// (or an env URL typed under a name we do not read); starting the local IdP with it would look
// like success and send the real secret to a stand-in. So it is an error that names the fix.

/**
 * The local IdP's built-in client (local-idp/server.mjs DEFAULTS; tests/dev-guard.test.ts keeps
 * them equal). Not imported from there: that would load oidc-provider into every `npm run dev`.
 */
export const LOCAL_CLIENT = Object.freeze({
  clientId: 'skc_local_dev',
  clientSecret: 'local_dev_client_secret_do_not_use_in_prod',
});

/** Either name Scalekit's docs use for the environment URL. */
export const ENV_URL_NAMES = ['SCALEKIT_ENV_URL', 'SCALEKIT_ENVIRONMENT_URL'];

/** @param {Record<string, string | undefined>} env */
export function scalekitEnvUrl(env) {
  for (const name of ENV_URL_NAMES) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * The reason the local IdP must not start with this environment, or undefined.
 * @param {Record<string, string | undefined>} env
 */
export function localIdpConflict(env) {
  if (scalekitEnvUrl(env)) return undefined;
  const clientId = env.SCALEKIT_CLIENT_ID?.trim();
  const clientSecret = env.SCALEKIT_CLIENT_SECRET?.trim();
  const realId = clientId && clientId !== LOCAL_CLIENT.clientId;
  const realSecret = clientSecret && clientSecret !== LOCAL_CLIENT.clientSecret;
  if (!realId && !realSecret) return undefined;
  const what = realId ? `SCALEKIT_CLIENT_ID (${clientId})` : 'SCALEKIT_CLIENT_SECRET';
  return [
    `${what} is set to a real Scalekit value, but neither SCALEKIT_ENV_URL nor SCALEKIT_ENVIRONMENT_URL is.`,
    'Refusing to start the bundled local IdP with real credentials. Either:',
    '  - add SCALEKIT_ENV_URL=https://<your-subdomain>.scalekit.dev to .env.local (or run `npm run setup`), or',
    '  - remove SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET from .env.local and your shell to use the local IdP.',
  ].join('\n');
}

// ---- The dev server's port and APP_URL ----
// `npm run dev -- -p 4000` used to leave APP_URL on port 3000, so sign-in came back to a port
// nothing listened on. APP_URL now follows the port, and a loopback APP_URL that names another
// port is an error that says so.

/**
 * The port `next dev` will listen on: `-p`/`--port` (`-p 4000`, `-p4000`, `--port=4000`), else
 * PORT, else 3000.
 * @param {string[]} args @param {Record<string, string | undefined>} env @returns {string}
 */
export function devPort(args, env) {
  for (let i = 0; i < args.length; i++) {
    const match = /^(?:-p|--port)(?:=?(\d+))?$/.exec(args[i] ?? '');
    if (match) return match[1] ?? args[i + 1] ?? '3000';
  }
  return env.PORT?.trim() || '3000';
}

/**
 * APP_URL for `npm run dev` on `port`: the one set, or http://localhost:<port>; or, when a loopback
 * APP_URL names another port, the error to print instead.
 * @param {Record<string, string | undefined>} env @param {string} port
 * @returns {{ appUrl: string, error?: undefined } | { error: string, appUrl?: undefined }}
 */
export function devAppUrl(env, port) {
  const set = env.APP_URL?.trim();
  if (!set) return { appUrl: `http://localhost:${port}` };
  if (!URL.canParse(set)) return { appUrl: set }; // lib/server/config.ts names the problem
  const url = new URL(set);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const urlPort = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (!loopback || urlPort === port) return { appUrl: set };
  return {
    error: [
      `APP_URL is ${url.origin}, but the dev server will listen on port ${port}: sign-in would come back to port ${urlPort}.`,
      'Either:',
      `  - run on port ${urlPort} (drop -p / PORT), or`,
      `  - set APP_URL=http://localhost:${port} in .env.local (with real Scalekit, also add http://localhost:${port}/api/callback to the allowed callback URLs).`,
    ].join('\n'),
  };
}
