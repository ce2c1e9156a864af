// Drives the local IdP's hosted login without a browser: plain fetch, redirect: 'manual', and a
// small cookie jar, doing what a browser would (follow redirects, submit auto-submitting forms,
// fill the login form) until the IdP sends the user away (to the app's callback or post-logout URL).

/** One HTML page the IdP answered with along the way. */
export interface IdpPage {
  url: string;
  status: number;
  html: string;
}

/**
 * Minimal browser-like cookie jar (host + path scoped, honours deletion). Reuse one across calls
 * to keep the IdP session, e.g. to test SSO or logout.
 */
export class CookieJar {
  // hostname -> "path\0name" -> cookie. Like browsers, cookies ignore the port.
  readonly #cookies = new Map<string, Map<string, { name: string; value: string; path: string }>>();

  /** Records the Set-Cookie headers of a response to `url`. */
  store(url: string | URL, setCookieHeaders: string[]): void {
    const { hostname, pathname } = new URL(url);
    let host = this.#cookies.get(hostname);
    if (!host) this.#cookies.set(hostname, (host = new Map()));
    for (const header of setCookieHeaders) {
      const [pair = '', ...attrs] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
        const key = k.toLowerCase();
        if (key === 'path' && v.startsWith('/')) path = v;
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      const id = `${path}\0${name}`;
      if (expired) host.delete(id);
      else host.set(id, { name, value, path });
    }
  }

  /** The Cookie header a browser would send to `url`, or undefined. */
  header(url: string | URL): string | undefined {
    const { hostname, pathname } = new URL(url);
    const matches = [...(this.#cookies.get(hostname)?.values() ?? [])]
      .filter(
        (c) =>
          c.path === '/' ||
          pathname === c.path ||
          pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      // Browsers send more specific paths first.
      .sort((a, b) => b.path.length - a.path.length);
    return matches.length ? matches.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** Cookie names currently held for a host (for assertions). */
  names(url: string | URL): string[] {
    return [...(this.#cookies.get(new URL(url).hostname)?.values() ?? [])].map((c) => c.name);
  }
}

/** Thrown when the IdP does something a person could not get past (or the login is rejected). */
export class IdpLoginError extends Error {
  constructor(
    message: string,
    readonly page: IdpPage,
    readonly pages: IdpPage[],
  ) {
    super(message);
    this.name = 'IdpLoginError';
  }
  get html(): string {
    return this.page.html;
  }
  get status(): number {
    return this.page.status;
  }
}

export interface NavigateOptions {
  /** Reuse to keep IdP cookies between calls. A fresh jar (no IdP session) by default. */
  jar?: CookieJar;
  /**
   * Stop as soon as a redirect points at a URL starting with this prefix. By default the walk
   * stops at the first redirect that leaves the IdP's origin.
   */
  stopAt?: string;
  /** Keep the HTML of every page seen in `pages`. Default false (only the login page is kept). */
  collectPages?: boolean;
  /** Safety net against redirect loops. Default 25. */
  maxSteps?: number;
  /** Organization to pick when the IdP shows its organization chooser. */
  organizationId?: string;
  /** Press "Cancel" on the first IdP page that offers it (login form or chooser). */
  cancel?: boolean;
  /** The browser's User-Agent (the IdP records it as the session's device). Default: fetch's. */
  userAgent?: string;
}

export interface IdpLoginOptions extends NavigateOptions {
  email: string;
  password: string;
}

export interface IdpNavigateResult {
  /**
   * 'redirected': the IdP sent the browser away (`url` is where to).
   * 'login-form': the IdP showed its login form and no credentials were given (`loginPage`).
   * 'org-chooser': the IdP asked which organization to use and no `organizationId` was given.
   */
  outcome: 'redirected' | 'login-form' | 'org-chooser';
  url: URL;
  /** The login form page, when one was shown. */
  loginPage?: IdpPage;
  /** The organization chooser page, when one was shown. */
  orgPage?: IdpPage;
  pages: IdpPage[];
  jar: CookieJar;
}

export interface IdpLoginResult {
  /** Where the IdP finally redirected: the app's redirect_uri with `code` and `state`. */
  callbackUrl: URL;
  code: string | null;
  state: string | null;
  /** False when the IdP session was reused (silent SSO) and no form was shown. */
  loginFormShown: boolean;
  loginPage?: IdpPage;
  /** The organization chooser page, when one was shown. */
  orgPage?: IdpPage;
  pages: IdpPage[];
  jar: CookieJar;
}

interface ParsedForm {
  action: string;
  method: string;
  hidden: [string, string][];
  hasPassword: boolean;
}

const decodeEntities = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const raw = m?.[1] ?? m?.[2] ?? m?.[3];
  return raw === undefined ? undefined : decodeEntities(raw);
}

function parseFirstForm(html: string): ParsedForm | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const openTag = `<form${form[1] ?? ''}>`;
  const inputs = [...(form[2] ?? '').matchAll(/<input\b[^>]*>/gi)].map((m) => m[0]);
  return {
    action: attr(openTag, 'action') ?? '',
    method: (attr(openTag, 'method') ?? 'get').toLowerCase(),
    hidden: inputs
      .filter((i) => attr(i, 'type')?.toLowerCase() === 'hidden' && attr(i, 'name'))
      .map((i) => [attr(i, 'name') as string, attr(i, 'value') ?? '']),
    hasPassword: inputs.some((i) => attr(i, 'type')?.toLowerCase() === 'password'),
  };
}

// Pages that submit themselves on load (oidc-provider's form_post responses, the logout step).
const isAutoSubmitting = (html: string) => /\.submit\(\)/.test(html);
const isOrgChooser = (html: string) => /data-idp-step="select-organization"/.test(html);

async function walk(
  startUrl: string,
  options: NavigateOptions & { credentials?: { email: string; password: string } },
): Promise<IdpNavigateResult & { loginFormShown: boolean }> {
  const jar = options.jar ?? new CookieJar();
  const idpOrigin = new URL(startUrl).origin;
  const leavesIdp = (url: URL) =>
    options.stopAt ? url.href.startsWith(options.stopAt) : url.origin !== idpOrigin;
  const pages: IdpPage[] = [];
  let loginPage: IdpPage | undefined;
  let orgPage: IdpPage | undefined;
  let submittedCredentials = false;
  let request: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = {
    url: startUrl,
    method: 'GET',
  };

  for (let step = 0; step < (options.maxSteps ?? 25); step++) {
    const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml' };
    if (options.userAgent) headers['user-agent'] = options.userAgent;
    const cookie = jar.header(request.url);
    if (cookie) headers.cookie = cookie;
    if (request.body) headers['content-type'] = 'application/x-www-form-urlencoded';

    const res = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body?.toString(),
      redirect: 'manual',
    });
    jar.store(request.url, res.headers.getSetCookie());

    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const next = new URL(location, request.url);
      if (leavesIdp(next)) {
        return {
          outcome: 'redirected',
          url: next,
          loginPage,
          orgPage,
          loginFormShown: !!loginPage,
          pages,
          jar,
        };
      }
      request = { url: next.href, method: 'GET' };
      continue;
    }

    const page: IdpPage = { url: request.url, status: res.status, html: await res.text() };
    if (options.collectPages) pages.push(page);
    const form = parseFirstForm(page.html);

    if (form && options.cancel) {
      const body = new URLSearchParams(form.hidden);
      body.set('action', 'cancel');
      request = {
        url: new URL(form.action || request.url, request.url).href,
        method: 'POST',
        body,
      };
      continue;
    }

    if (form && isOrgChooser(page.html)) {
      if (orgPage && orgPage.html === page.html) {
        throw new IdpLoginError('the IdP showed the organization chooser again', page, pages);
      }
      orgPage = page;
      if (!options.organizationId) {
        if (options.credentials) {
          throw new IdpLoginError('the IdP asked to choose an organization', page, pages);
        }
        return {
          outcome: 'org-chooser',
          url: new URL(request.url),
          loginPage,
          orgPage,
          loginFormShown: !!loginPage,
          pages,
          jar,
        };
      }
      const body = new URLSearchParams(form.hidden);
      body.set('organization_id', options.organizationId);
      request = {
        url: new URL(form.action || request.url, request.url).href,
        method: 'POST',
        body,
      };
      continue;
    }

    if (form?.hasPassword) {
      loginPage = page;
      if (!options.credentials) {
        return {
          outcome: 'login-form',
          url: new URL(request.url),
          loginPage,
          loginFormShown: true,
          pages,
          jar,
        };
      }
      if (submittedCredentials) {
        throw new IdpLoginError(
          'the IdP showed the login form again after the credentials were submitted',
          page,
          pages,
        );
      }
      submittedCredentials = true;
      const body = new URLSearchParams(form.hidden);
      body.set('email', options.credentials.email);
      body.set('password', options.credentials.password);
      request = {
        url: new URL(form.action || request.url, request.url).href,
        method: 'POST',
        body,
      };
      continue;
    }

    if (form && form.method === 'post' && isAutoSubmitting(page.html)) {
      request = {
        url: new URL(form.action || request.url, request.url).href,
        method: 'POST',
        body: new URLSearchParams(form.hidden),
      };
      continue;
    }

    throw new IdpLoginError(
      `unexpected IdP response (HTTP ${page.status}) at ${request.url}`,
      page,
      pages,
    );
  }
  throw new Error(`no way out of the IdP after ${options.maxSteps ?? 25} steps (redirect loop?)`);
}

/**
 * Opens `url` at the IdP like a browser and follows it until the IdP redirects away or shows its
 * login form. Use for logout URLs, or to check whether an authorize request needs a login.
 */
export async function visitIdp(
  url: string,
  options: NavigateOptions = {},
): Promise<IdpNavigateResult> {
  const { outcome, url: finalUrl, loginPage, orgPage, pages, jar } = await walk(url, options);
  return { outcome, url: finalUrl, loginPage, orgPage, pages, jar };
}

/**
 * Signs in at the local IdP for an authorization URL (from ScalekitClient.getAuthorizationUrl)
 * and returns the callback URL with `code` and `state`. Throws IdpLoginError when the IdP shows the
 * login form again (wrong credentials; `error.html` has the page) or answers with an error page.
 * If the jar already holds an IdP session, no form is shown and the code comes back directly.
 */
export async function loginWithIdp(
  authorizationUrl: string,
  options: IdpLoginOptions,
): Promise<IdpLoginResult> {
  const { email, password, ...navigate } = options;
  const result = await walk(authorizationUrl, { ...navigate, credentials: { email, password } });
  return {
    callbackUrl: result.url,
    code: result.url.searchParams.get('code'),
    state: result.url.searchParams.get('state'),
    loginFormShown: result.loginFormShown,
    loginPage: result.loginPage,
    orgPage: result.orgPage,
    pages: result.pages,
    jar: result.jar,
  };
}
