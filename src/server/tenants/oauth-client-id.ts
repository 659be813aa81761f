import type { Tenant } from './types.js';

/**
 * The tenant's OAuth client id: the install payload's `oauthClientId`, the `iss` of the JWT bearer grant a Connect
 * app makes to act as a user (src/server/confluence/user-token-grant.ts). A column added to existing tables on open,
 * like `cloud_id`; tenants installed before it have none until their next lifecycle event carries one.
 */

/** Atlassian's client ids are short opaque strings; anything else in a payload is not stored. */
export const OAUTH_CLIENT_ID = /^[A-Za-z0-9._~:-]{1,128}$/;

export const addOauthClientIdColumnSql = (table: string, ifNotExists: boolean) =>
  `ALTER TABLE ${table} ADD COLUMN ${ifNotExists ? 'IF NOT EXISTS ' : ''}oauth_client_id TEXT`;

/** Run in the same transaction as the lifecycle change it belongs to, and only when that change applied. */
export const setOauthClientIdSql = (table: string) =>
  `UPDATE ${table} SET oauth_client_id = @oauthClientId WHERE client_key = @clientKey`;

/** The tenant with the stored OAuth client id, when the row has one. */
export function withOauthClientId(tenant: Tenant, row: { oauth_client_id?: string | null }): Tenant {
  if (typeof row.oauth_client_id === 'string') tenant.oauthClientId = row.oauth_client_id;
  return tenant;
}
