/**
 * Sign-in credentials of the local IdP's seeded users (local-idp/users.json), shared by the
 * Vitest suites, the bench and the Playwright specs. Plain data: no test-runner imports, so
 * every runner can load it.
 */
export const USERS = {
  /** admin of org 1 */
  alice: { email: 'alice@example.com', password: 'alice-password' },
  /** member of org 1 */
  bob: { email: 'bob@example.com', password: 'bob-password' },
  /** 200 permissions: a token large enough to be split into cookie chunks */
  dave: { email: 'dave@example.com', password: 'dave-password' },
  /** member of org 1 (Acme), admin of org 2 (Globex): the IdP asks which organization */
  erin: { email: 'erin@example.com', password: 'erin-password' },
};
