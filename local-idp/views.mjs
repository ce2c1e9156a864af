// HTML for the local IdP: hosted login, auto-submitting logout, signed-out and error pages.
// Self-contained (inline CSS, no fonts or assets from the network) and every dynamic value is
// escaped.
import { createHash } from 'node:crypto';

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f5f7;color:#1f2430;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:min(400px,calc(100vw - 32px));background:#fff;border:1px solid #e3e5ea;border-radius:12px;
padding:32px;box-shadow:0 1px 3px rgba(16,24,40,.06)}
.badge{display:inline-block;margin:0 0 16px;padding:2px 8px;border-radius:999px;background:#fff4d6;
color:#7a5200;font-size:12px;font-weight:600;letter-spacing:.02em}
h1{margin:0 0 4px;font-size:22px;line-height:1.3}
.sub{margin:0 0 24px;color:#5b6270}
label{display:block;margin:16px 0 6px;font-weight:600;font-size:14px}
input{width:100%;padding:10px 12px;border:1px solid #c9cdd6;border-radius:8px;font:inherit;color:inherit}
input:focus{outline:2px solid #4f46e5;outline-offset:1px;border-color:#4f46e5}
button{margin-top:24px;width:100%;padding:11px 12px;border:0;border-radius:8px;background:#4f46e5;
color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:hover{background:#4338ca}
button.secondary{margin-top:12px;background:#fff;color:#1f2430;border:1px solid #c9cdd6}
button.secondary:hover{background:#f4f5f7}
button.org{margin-top:12px;background:#f7f7fb;color:#1f2430;border:1px solid #e3e5ea;text-align:left}
button.org:hover{background:#eef0ff;border-color:#4f46e5}
.error{margin:0 0 8px;padding:10px 12px;border-radius:8px;background:#fdecec;color:#a11b1b;
border:1px solid #f5c2c2;font-weight:500}
.hints{margin-top:24px;padding:12px 14px;border-radius:8px;background:#f7f7fb;border:1px solid #e6e6f0;
font-size:13px}
.hints h2{margin:0 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#5b6270}
.hints dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 12px}
.hints dt{color:#5b6270}
.hints dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.foot{margin:24px 0 0;font-size:12px;color:#7b8190}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;background:#f7f7fb;padding:10px 12px;border-radius:8px}
`;

const LOGOUT_SCRIPT = "document.getElementById('op.logoutForm').submit();";

const sha256 = (/** @type {string} */ s) =>
  `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

// Hash-pinned inline style/script instead of 'unsafe-inline'. No form-action: browsers apply it to
// the redirects that follow a form post, and the login post must end at the app's callback.
const CSP_BASE = `default-src 'none'; style-src ${sha256(CSS)}; img-src data:; base-uri 'none'; frame-ancestors 'none'`;
export const PAGE_CSP = CSP_BASE;
export const LOGOUT_PAGE_CSP = `${CSP_BASE}; script-src ${sha256(LOGOUT_SCRIPT)}`;

/** @param {{ title: string, body: string }} page */
function layout({ title, body }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<p class="badge">Local IdP &middot; development only</p>
${body}
</main>
</body>
</html>`;
}

// Leaves the hosted page the way Scalekit's does when the user backs out: the app's callback
// gets error=access_denied with the request's state. formnovalidate: no need to fill the form.
const CANCEL_BUTTON =
  '<button type="submit" class="secondary" name="action" value="cancel" formnovalidate>Cancel</button>';

/** Request parameters worth surfacing on the login page, in display order. */
const HINT_PARAMS = ['login_hint', 'organization_id', 'connection_id', 'domain_hint', 'provider'];

/**
 * @param {{
 *   action: string,
 *   params: Record<string, unknown>,
 *   email?: string,
 *   error?: string,
 * }} input
 */
export function renderLoginPage({ action, params, email = '', error }) {
  const prompts = String(params.prompt ?? '').split(' ');
  const create = prompts.includes('create');

  /** @type {[string, string][]} */
  const hints = HINT_PARAMS.filter((k) => typeof params[k] === 'string' && params[k] !== '').map(
    (k) => [k, String(params[k])],
  );
  if (create) hints.push(['prompt', 'create']);

  const hintsBox = hints.length
    ? `<section class="hints" data-testid="idp-hints" aria-label="Request hints">
<h2>Request hints</h2>
<dl>${hints.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd data-hint="${escapeHtml(k)}">${escapeHtml(v)}</dd>`).join('')}</dl>
</section>`
    : '';

  const heading = create ? 'Create your account' : 'Sign in to Acme';
  const sub = create
    ? 'Sign-up is simulated here: continue with one of the seeded users.'
    : 'to continue to the app';

  return layout({
    title: 'Sign in to Acme (local IdP)',
    body: `<h1>${heading}</h1>
<p class="sub">${sub}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" autocomplete="on">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"${email ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${email ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
${CANCEL_BUTTON}
</form>
${hintsBox}
<p class="foot">Seeded users are listed in <code>local-idp/users.json</code>.</p>`,
  });
}

/**
 * Organization chooser (prompt=select_account, or a user in several organizations who did not
 * name one). Each organization is a submit button carrying its id.
 * @param {{
 *   action: string,
 *   email: string,
 *   organizations: Array<{ id: string, name: string, roles: string[] }>,
 *   error?: string,
 * }} input
 */
export function renderOrganizationPage({ action, email, organizations, error }) {
  const choices = organizations
    .map(
      (o) =>
        `<button type="submit" class="org" name="organization_id" value="${escapeHtml(o.id)}">${escapeHtml(o.name)}<br><small>${escapeHtml(o.roles.join(', ') || 'no roles')}</small></button>`,
    )
    .join('\n');
  return layout({
    title: 'Choose an organization (local IdP)',
    body: `<h1>Choose an organization</h1>
<p class="sub">Signed in as ${escapeHtml(email)}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" data-idp-step="select-organization">
<input type="hidden" name="step" value="organization">
${choices}
${CANCEL_BUTTON}
</form>`,
  });
}

/**
 * A small SVG avatar (initials on a colour derived from the user id): seeded users get a
 * `picture` without the IdP needing the internet.
 * @param {{ id: string, given_name: string, family_name: string }} user
 */
export function avatarSvg(user) {
  const hue = createHash('sha256').update(user.id).digest()[0] ?? 0;
  const initials = `${user.given_name[0] ?? ''}${user.family_name[0] ?? ''}`.toUpperCase();
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="${escapeHtml(initials)}">
<rect width="64" height="64" rx="32" fill="hsl(${Math.round((hue / 255) * 360)} 55% 45%)"/>
<text x="32" y="39" text-anchor="middle" font-family="system-ui, sans-serif" font-size="24" font-weight="600" fill="#fff">${escapeHtml(initials)}</text>
</svg>
`;
}

/**
 * The RP-initiated logout step. oidc-provider hands us a form that must be POSTed (it carries the
 * XSRF secret); it submits itself so logout completes with no click, as it does at Scalekit.
 * @param {string} form
 */
export function renderLogoutPage(form) {
  // logout=yes ends the whole IdP session (every client), not just this client's part of it.
  const withLogoutAll = form.replace(
    '</form>',
    '<input type="hidden" name="logout" value="yes"></form>',
  );
  return layout({
    title: 'Signing out (local IdP)',
    body: `<h1>Signing you out&hellip;</h1>
${withLogoutAll}
<noscript><button type="submit" form="op.logoutForm">Continue</button></noscript>
<script>${LOGOUT_SCRIPT}</script>`,
  });
}

export function renderSignedOutPage() {
  return layout({
    title: 'Signed out (local IdP)',
    body: `<h1>You are signed out</h1>
<p class="sub">Your session at the local IdP has ended. You can close this tab.</p>`,
  });
}

/** @param {Record<string, unknown>} out oidc-provider's error output ({ error, error_description }) */
export function renderErrorPage(out) {
  const rows = Object.entries(out)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  return layout({
    title: 'Sign-in error (local IdP)',
    body: `<h1>Something went wrong</h1>
<p class="sub">The local IdP rejected this request.</p>
<section class="hints"><dl>${rows}</dl></section>`,
  });
}
