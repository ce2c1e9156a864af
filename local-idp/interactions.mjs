// The hosted login page at /interaction/:uid. Scalekit never shows a consent screen, so consent is
// granted automatically for whatever the (single, first-party) client asked for.
import { readBody } from './control.mjs';
import { FORM_PROMPTS } from './provider.mjs';
import { membershipOf } from './users.mjs';
import { PAGE_CSP, renderErrorPage, renderLoginPage, renderOrganizationPage } from './views.mjs';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const INVALID_CREDENTIALS = 'Invalid email or password.';
const CANCELLED = {
  error: 'access_denied',
  error_description: 'The user cancelled the sign-in.',
};
// A password accepted but no organization chosen yet; dropped after this long.
const PENDING_TTL_MS = 60 * 60 * 1000;

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
 *   choices: ReturnType<typeof import('./shapes.mjs').orgChoices>,
 *   log: (line: string) => void,
 * }} options
 */
export function createInteractionHandler({ getProvider, users, choices, log }) {
  /**
   * Interaction uid -> who is choosing an organization. The uid comes from oidc-provider's
   * cookie-bound interaction, so only the browser that proved the password can finish it.
   * @type {Map<string, { accountId: string, fresh: boolean, at: number }>}
   */
  const pending = new Map();
  const prune = () => {
    for (const [uid, p] of pending) if (Date.now() - p.at > PENDING_TTL_MS) pending.delete(uid);
  };

  /** @param {import('./users.mjs').LocalUser} user @param {unknown} orgId */
  const isMember = (user, orgId) =>
    typeof orgId === 'string' && user.memberships.some((m) => m.organization_id === orgId);

  /** @param {any} params */
  const promptsOf = (params) => String(params.prompt ?? '').split(' ');

  /**
   * Scalekit's switcher appears for prompt=select_account, and for a user in several
   * organizations when the request did not name one of them (D-org).
   * @param {import('./users.mjs').LocalUser} user @param {any} params
   */
  const needsChooser = (user, params) =>
    user.memberships.length > 1 &&
    (promptsOf(params).includes('select_account') || !isMember(user, params.organization_id));

  /** @param {string} action @param {import('./users.mjs').LocalUser} user @param {string} [error] */
  const chooserPage = (action, user, error) =>
    renderOrganizationPage({
      action,
      email: user.email,
      error,
      organizations: user.memberships.map((m) => ({
        id: m.organization_id,
        name: users.organization(m.organization_id)?.name ?? m.organization_id,
        roles: m.roles,
      })),
    });

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
      /**
       * Completes the interaction for `user` in organization `orgId`.
       * @param {import('./users.mjs').LocalUser} user @param {string} orgId @param {boolean} fresh
       */
      const finish = async (user, orgId, fresh) => {
        pending.delete(details.uid);
        const grantId = await grantRequested(provider, details, user.id);
        choices.set(grantId, orgId);
        /** @type {Record<string, unknown>} */
        const result = { consent: { grantId } };
        if (fresh) result.login = { accountId: user.id, amr: ['pwd'], remember: true };
        // Custom prompts (create, select_account) count as satisfied once a page was submitted.
        const requested = promptsOf(details.params);
        for (const name of FORM_PROMPTS) if (requested.includes(name)) result[name] = {};
        log(`login ok: ${user.id} in ${orgId}`);
        await provider.interactionFinished(req, res, result, {
          mergeWithLastSubmission: !fresh,
        });
      };
      const sessionUser = details.session?.accountId
        ? users.byId(details.session.accountId)
        : undefined;

      if (req.method === 'GET') {
        if (
          sessionUser &&
          details.prompt.name === 'select_account' &&
          needsChooser(sessionUser, details.params)
        ) {
          // Signed in at the IdP already: select_account goes straight to the switcher.
          pending.set(details.uid, { accountId: sessionUser.id, fresh: false, at: Date.now() });
          sendHtml(res, 200, chooserPage(action, sessionUser));
          return true;
        }
        if (sessionUser && details.prompt.name === 'consent') {
          // Already signed in at the IdP (or consent was only re-requested): no screen, as at
          // Scalekit, unless the user must pick an organization.
          const existing = choices.get(details.grantId);
          const requestedOrg = details.params.organization_id;
          if (isMember(sessionUser, requestedOrg)) {
            await finish(sessionUser, /** @type {string} */ (requestedOrg), false);
          } else if (existing && isMember(sessionUser, existing)) {
            await finish(sessionUser, existing, false);
          } else if (needsChooser(sessionUser, details.params)) {
            pending.set(details.uid, { accountId: sessionUser.id, fresh: false, at: Date.now() });
            sendHtml(res, 200, chooserPage(action, sessionUser));
          } else {
            await finish(sessionUser, membershipOf(sessionUser, undefined).organization_id, false);
          }
          return true;
        }
        const loginHint =
          typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
        sendHtml(res, 200, renderLoginPage({ action, params: details.params, email: loginHint }));
        return true;
      }

      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req, 16 * 1024));
        if (form.get('action') === 'cancel') {
          pending.delete(details.uid);
          log('login cancelled by the user');
          await provider.interactionFinished(req, res, CANCELLED, {
            mergeWithLastSubmission: false,
          });
          return true;
        }

        if (form.get('step') === 'organization') {
          prune();
          const who = pending.get(details.uid);
          const user = who ? users.byId(who.accountId) : undefined;
          if (!who || !user) {
            sendHtml(
              res,
              400,
              renderErrorPage({
                error: 'login_expired',
                error_description: 'Sign in again to choose an organization.',
              }),
            );
            return true;
          }
          const orgId = form.get('organization_id');
          if (!isMember(user, orgId)) {
            sendHtml(res, 200, chooserPage(action, user, 'Choose one of your organizations.'));
            return true;
          }
          await finish(user, /** @type {string} */ (orgId), who.fresh);
          return true;
        }

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

        if (needsChooser(user, details.params)) {
          prune();
          pending.set(details.uid, { accountId: user.id, fresh: true, at: Date.now() });
          sendHtml(res, 200, chooserPage(action, user));
          return true;
        }
        const requestedOrg = details.params.organization_id;
        await finish(
          user,
          isMember(user, requestedOrg)
            ? /** @type {string} */ (requestedOrg)
            : membershipOf(user, undefined).organization_id,
          true,
        );
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
