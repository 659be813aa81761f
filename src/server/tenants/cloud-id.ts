import type { Tenant } from './types.js';

/**
 * The link between a Connect tenant and its site: the install payload's `cloudId`, stored next to the tenant so a
 * Forge Invocation Token (which names the site, not the Connect clientKey) maps to the same tenant. A column added
 * to existing tables on open, so databases created before it keep working; tenants installed before it have none
 * until their next lifecycle event carries one.
 */

/** Site ids are UUIDs; anything else in a payload is not stored (the FIT for that site then finds no tenant). */
export const CLOUD_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const cloudIdIndexOf = (table: string) => `${table.slice(0, 50)}_cloud_id_idx`;

export const addCloudIdColumnSql = (table: string, ifNotExists: boolean) =>
  `ALTER TABLE ${table} ADD COLUMN ${ifNotExists ? 'IF NOT EXISTS ' : ''}cloud_id TEXT`;

export const createCloudIdIndexSql = (table: string) =>
  `CREATE INDEX IF NOT EXISTS ${cloudIdIndexOf(table)} ON ${table} (cloud_id)`;

/** Run in the same transaction as the lifecycle change it belongs to, and only when that change applied. */
export const setCloudIdSql = (table: string) => `UPDATE ${table} SET cloud_id = @cloudId WHERE client_key = @clientKey`;

/**
 * The active tenant of a site. Should two active tenants ever name one site (a clientKey that changed without the
 * old one's uninstall arriving), the one with the newest lifecycle event is the site's current install.
 */
export const selectClientKeyByCloudIdSql = (table: string) =>
  `SELECT client_key FROM ${table} WHERE cloud_id = @cloudId AND state IN ('installed', 'enabled')
  ORDER BY last_event_iat DESC LIMIT 1`;

export interface CloudIdRow {
  client_key: string;
}

/** The tenant with the stored site id, when the row has one. */
export function withCloudId(tenant: Tenant, row: { cloud_id?: string | null }): Tenant {
  if (typeof row.cloud_id === 'string') tenant.cloudId = row.cloud_id;
  return tenant;
}
