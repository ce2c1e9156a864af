import { inject } from 'vitest';

// Point lib/server/config.ts at the run's local IdP before any module reads it.
const idp = inject('localIdp');
process.env.SCALEKIT_ENV_URL = idp.url;
process.env.SCALEKIT_CLIENT_ID = idp.clientId;
process.env.SCALEKIT_CLIENT_SECRET = idp.clientSecret;
process.env.APP_URL = idp.appUrl;
process.env.SESSION_COOKIE_SECRET = 'vitest-session-cookie-secret-0123456789abcdef';
process.env.ANALYTICS_SINKS = 'none';
