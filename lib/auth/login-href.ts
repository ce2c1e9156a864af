/**
 * Links to GET /login, for the browser. No server-only import: buttons and the auth dialog build
 * these. The login route still checks every value against its allowlist (lib/server/login/start.ts), so this
 * only spares users a hint the server would drop.
 */

export const SOCIAL_PROVIDERS = [
  'google',
  'github',
  'microsoft',
  'gitlab',
  'linkedin',
  'salesforce',
] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];

/**
 * The `prompt` values Scalekit documents for hosted login: `login` (ask again even with a
 * session), `create` (the sign-up view), `select_account` (the organization/account picker) and
 * `none` (no UI at all: the callback gets `login_required` instead of a page).
 */
export const LOGIN_PROMPTS = ['login', 'create', 'select_account', 'none'] as const;
export type LoginPrompt = (typeof LOGIN_PROMPTS)[number];

export type LoginLinkOptions = {
  /** Same-origin path to come back to after sign-in. */
  returnTo?: string;
  /** 'create' asks for the sign-up view, 'select_account' for the organization picker. */
  prompt?: LoginPrompt;
  /** Prefills the email and lets the IdP route to the right SSO connection. */
  loginHint?: string;
  /** The organization's domain, for SSO routing when only the domain is known. */
  domainHint?: string;
  provider?: SocialProvider;
  organizationId?: string;
  connectionId?: string;
};

/** Each hint's query parameter, on /login and on the IdP's authorization URL alike. */
export const LOGIN_HINT_PARAMS: Record<Exclude<keyof LoginLinkOptions, 'returnTo'>, string> = {
  prompt: 'prompt',
  loginHint: 'login_hint',
  domainHint: 'domain_hint',
  provider: 'provider',
  organizationId: 'organization_id',
  connectionId: 'connection_id',
};

export function loginHref(options: LoginLinkOptions = {}): string {
  const query = new URLSearchParams();
  if (options.returnTo) query.set('returnTo', options.returnTo);
  for (const [key, param] of Object.entries(LOGIN_HINT_PARAMS) as [
    keyof typeof LOGIN_HINT_PARAMS,
    string,
  ][]) {
    const value = options[key]?.trim();
    if (value) query.set(param, value);
  }
  const qs = query.toString();
  return qs ? `/login?${qs}` : '/login';
}

/** `ada@Example.COM ` → `example.com`; undefined when the text is not an email address. */
export function emailDomain(email: string): string | undefined {
  const match = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/.exec(email.trim());
  return match?.[1]?.toLowerCase();
}
