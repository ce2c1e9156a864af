// The token claim sets Scalekit documents, copied from its examples (identifiers kept, times made
// current). Sources, as tagged in shared/reference/scalekit-contract.md:
//  - FSA ID and access token: authenticate/fsa/complete-login ("Decoded ID token" / "Decoded
//    access token"); the two examples there come from different logins, so the access token
//    here takes the ID token's sub/oid/sid, as one login would.
//  - Modular SSO: authenticate/sso/add-modular-sso (the access token has no oid/sid, and its sub
//    differs from the ID token's).
//  - M2M: authenticate/m2m/api-auth-quickstart (sub = client_id = m2morg_…, scopes array; the
//    audience is the one registered for the API client).
import type { JWTPayload } from 'jose';

const now = () => Math.floor(Date.now() / 1000);

export function fsaIdToken(iss: string, clientId: string): JWTPayload {
  return {
    iss,
    aud: [clientId],
    azp: clientId,
    sub: 'usr_63261014140912135',
    oid: 'org_59615193906282635',
    exp: now() + 1800,
    iat: now(),
    c_hash: '6wMreK9kWQQY6O5R0CiiYg',
    amr: ['conn_123'],
    email: 'john.doe@example.com',
    email_verified: true,
    name: 'John Doe',
    given_name: 'John',
    family_name: 'Doe',
    picture: 'https://images.example.com/john.png',
    locale: 'en',
    sid: 'ses_65274187031249433',
    client_id: clientId,
    xoid: 'ext_org_123',
  };
}

export function fsaAccessToken(iss: string, clientId: string): JWTPayload {
  return {
    iss,
    aud: [clientId],
    sub: 'usr_63261014140912135',
    oid: 'org_59615193906282635',
    exp: now() + 300,
    iat: now(),
    nbf: now(),
    jti: 'tkn_90928731115292063',
    sid: 'ses_65274187031249433',
    client_id: clientId,
    roles: ['admin'],
    permissions: ['workspace_data:write', 'workspace_data:read'],
    scope: 'openid profile email',
    xoid: 'ext_org_123',
    xuid: 'ext_usr_456',
  };
}

export function modularIdToken(iss: string, clientId: string): JWTPayload {
  return {
    amr: ['conn_70087756662964366'],
    aud: [clientId],
    azp: clientId,
    c_hash: '4x7qsXnlRw6dRC6twnuENw',
    client_id: clientId,
    email: 'john@example.com',
    exp: now() + 3 * 24 * 3600,
    family_name: 'Doe',
    given_name: 'John',
    iat: now(),
    iss,
    oid: 'org_70087756646187150',
    preferred_username: 'john@example.com',
    sid: 'ses_91646612652163629',
    sub: 'conn_70087756662964366;e964d135-35c7-4a13-a3b4-2579a1cdf4e6',
  };
}

export function modularAccessToken(iss: string, clientId: string): JWTPayload {
  return {
    iss,
    sub: 'conn_70087756662964366;dcc62570-6a5a-4819-b11b-d33d110c7716',
    aud: [clientId],
    exp: now() + 900,
    iat: now(),
    nbf: now(),
    client_id: clientId,
    jti: 'tkn_91646913048216109',
  };
}

export const M2M_AUDIENCE = 'deployment-api.acmecorp.com';

export function m2mAccessToken(iss: string): JWTPayload {
  return {
    aud: [M2M_AUDIENCE],
    client_id: 'm2morg_68315758685323697',
    exp: now() + 86399,
    iat: now(),
    iss,
    jti: 'tkn_69041163914445100',
    nbf: now(),
    oid: 'org_59615193906282635',
    scopes: ['api:read'],
    sub: 'm2morg_68315758685323697',
  };
}
