// The hosted login page at /interaction/:uid. Scalekit never shows a consent screen, so consent is
// granted automatically for whatever the (single, first-party) client asked for.
import { readBody } from './control.mjs';
import { FORM_PROMPTS } from './provider.mjs';
import { PAGE_CSP, renderErrorPage, renderLoginPage } from './views.mjs';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const INVALID_CREDENTIALS = 'Invalid email or password.';

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} html */
function sendHtml(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

/**
 * Grants everything the authorization request asked for: OIDC scopes, requested claims and the
 * scopes of the (JWT) access-token resource. Reuses the session's grant when it has one.
 * @param {import('oidc-provider').default} provider
 * @param {any} details interaction details
 * @param {string} accountId
 */
async function grantRequested(provider, details, accountId) {
  const { params, prompt } = details;
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing && existing.accountId === accountId
      ? existing
      : new provider.Grant({ accountId, clientId: params.client_id });

  const scope = typeof params.scope === 'string' ? params.scope : '';
  if (scope) grant.addOIDCScope(scope);
  if (prompt.details?.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);

  const resources = [params.resource ?? []].flat();
  for (const resource of resources) if (scope) grant.addResourceScope(resource, scope);
  for (const [resource, scopes] of Object.entries(prompt.details?.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, /** @type {string[]} */ (scopes).join(' '));
  }
  return grant.save();
}

/**
 * @param {{
 *   getProvider: () => import('oidc-provider').default,
 *   users: import('./users.mjs').UserDirectory,
 *   log: (line: string) => void,
 * }} options
 */
export function createInteractionHandler({ getProvider, users, log }) {
  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @returns {Promise<boolean>} false when the path is not an interaction URL
   */
  return async function handleInteraction(req, res) {
    const { pathname } = new URL(req.url ?? '/', 'http://interaction.invalid');
    const match = INTERACTION_PATH.exec(pathname);
    if (!match) return false;

    const provider = getProvider();
    /** @type {any} */
    let details;
    try {
      details = await provider.interactionDetails(req, res);
      if (details.uid !== match[1]) throw new Error('interaction mismatch');
    } catch {
      // Expired, already completed, or the cookie is missing (e.g. a bookmarked login URL).
      sendHtml(
        res,
        400,
        renderErrorPage({
          error: 'login_expired',
          error_description:
            'This sign-in request has expired or was already used. Go back to the app and sign in again.',
        }),
      );
      return true;
    }

    const action = `/interaction/${details.uid}`;

    try {
      if (req.method === 'GET') {
        if (details.prompt.name === 'consent') {
          // Already signed in at the IdP (or consent was only re-requested): no screen, as at Scalekit.
          const grantId = await grantRequested(provider, details, details.session.accountId);
          await provider.interactionFinished(
            req,
            res,
            { consent: { grantId } },
            { mergeWithLastSubmission: true },
          );
          return true;
        }
        const loginHint =
          typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
        sendHtml(res, 200, renderLoginPage({ action, params: details.params, email: loginHint }));
        return true;
      }

      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req, 16 * 1024));
        const email = form.get('email') ?? '';
        const user = users.authenticate(email, form.get('password') ?? '');
        if (!user) {
          log('login failed: invalid email or password');
          sendHtml(
            res,
            200,
            renderLoginPage({ action, params: details.params, email, error: INVALID_CREDENTIALS }),
          );
          return true;
        }

        const grantId = await grantRequested(provider, details, user.id);
        /** @type {Record<string, unknown>} */
        const result = {
          login: { accountId: user.id, amr: ['pwd'], remember: true },
          consent: { grantId },
        };
        // Custom prompts (create, select_account) count as satisfied once the form was submitted.
        const requested = String(details.params.prompt ?? '').split(' ');
        for (const name of FORM_PROMPTS) if (requested.includes(name)) result[name] = {};

        log(`login ok: ${user.id}`);
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return true;
      }

      res.writeHead(405, { allow: 'GET, POST' }).end();
      return true;
    } catch (err) {
      log(`interaction error: ${/** @type {Error} */ (err).message}`);
      if (!res.headersSent) {
        sendHtml(
          res,
          500,
          renderErrorPage({
            error: 'server_error',
            error_description: 'The local IdP failed to complete sign-in.',
          }),
        );
      }
      return true;
    }
  };
}
