'use client';

import * as React from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { AUTH_PATHS, emailDomain, LOGIN_HINT_PARAMS, loginHref } from '@/lib/auth/paths';

/**
 * "Sign in with SSO" from a work email. A real GET form to /login, so on the /sign-in page it
 * works before hydration and without JavaScript (`login_hint` alone); once hydrated it also
 * sends `domain_hint`, for organizations whose SSO is found by their domain only.
 */
function SsoForm({ returnTo }: { returnTo?: string }) {
  const emailId = React.useId();

  function startSso(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get(LOGIN_HINT_PARAMS.loginHint) ?? '');
    // login_hint prefills the hosted page and lets it find the SSO connection for this user;
    // domain_hint routes by the organization's domain where only that is configured.
    window.location.assign(
      loginHref({ returnTo, loginHint: email.trim(), domainHint: emailDomain(email) }),
    );
  }

  return (
    <form
      action={AUTH_PATHS.login}
      method="get"
      onSubmit={startSso}
      className="grid gap-2"
      aria-label="Single sign-on"
    >
      {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
      <label htmlFor={emailId} className="text-sm font-medium">
        Work email
      </label>
      <Input
        id={emailId}
        name={LOGIN_HINT_PARAMS.loginHint}
        type="email"
        autoComplete="email"
        placeholder="you@company.com"
        required
      />
      <Button type="submit" variant="secondary">
        Sign in with SSO
      </Button>
    </form>
  );
}

export { SsoForm };
