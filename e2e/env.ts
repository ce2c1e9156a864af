import { USERS } from '../tests/helpers/users';

// Ports and settings for the e2e run: separate from `npm run dev` (3000/8787) so both can run.
// Override with E2E_APP_PORT / E2E_IDP_PORT / E2E_API_PORT to run two checkouts' suites side by side.
const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
const idpPort = Number(process.env.E2E_IDP_PORT ?? 8788);
const apiPort = Number(process.env.E2E_API_PORT ?? 3101);
const appUrl = `http://localhost:${appPort}`;
const idpUrl = `http://localhost:${idpPort}`;
const apiUrl = `http://localhost:${apiPort}`;
const clientId = 'skc_e2e_client';
const clientSecret = 'e2e_client_secret_not_a_real_secret';

export const E2E = {
  appPort,
  appUrl,
  idpUrl,
  apiUrl,
  idpEnv: {
    LOCAL_IDP_PORT: String(idpPort),
    LOCAL_IDP_DATA_DIR: `.local-idp/e2e-${idpPort}`,
    LOCAL_IDP_ACCESS_TOKEN_TTL: '300',
    APP_URL: appUrl,
    SCALEKIT_CLIENT_ID: clientId,
    SCALEKIT_CLIENT_SECRET: clientSecret,
  },
  appEnv: {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_MANUAL_SIG_HANDLE: 'true',
    SCALEKIT_ENV_URL: idpUrl,
    SCALEKIT_CLIENT_ID: clientId,
    SCALEKIT_CLIENT_SECRET: clientSecret,
    SESSION_COOKIE_SECRET: 'e2e-session-cookie-secret-0123456789abcdef',
    APP_URL: appUrl,
    EXAMPLE_API_URL: apiUrl,
  },
  // examples/api-server, the separate backend the dashboard calls with the access token.
  apiEnv: {
    API_PORT: String(apiPort),
    SCALEKIT_ENV_URL: idpUrl,
    SCALEKIT_CLIENT_ID: clientId,
    APP_URL: appUrl,
  },
  users: USERS,
};
