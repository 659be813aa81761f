import type { LifecycleChange, Tenant } from './types.js';

/**
 * The link between a Connect tenant and its Forge installation, tried before the site link (cloud-id.ts).
 *
 * Fields relied on, and where they come from:
 * - FIT `app.installationId` (the installation ARI), `context.cloudId` and `app.installation.contexts[].cloudId`:
 *   documented claims of the Forge Invocation Token (Forge docs, "Forge Remote essentials", the invocation
 *   contract); forge/invocation.ts reads them.
 * - Connect lifecycle payload `installationId`: NOT in the Connect lifecycle documentation. Observed in
 *   atlassian-connect-express 11 (`lib/store/*.js` saves the install payload's `installationId` and
 *   `getClientSettingsForForgeInstallation` looks the Connect tenant up by the FIT's `app.installationId`;
 *   `lib/middleware/associate-connect.js`). That it is the same ARI as the FIT's `app.installationId` is inferred
 *   from that lookup. Connect lifecycle payload `cloudId`: likewise observed, not documented.
 *
 * Order: a FIT whose installation is linked maps to that tenant (when the tenant's site, if known, is the FIT's);
 * else the site link applies, and the FIT's installation is then stored on that tenant so the next lookup is
 * direct. A link set by an install payload is never overwritten by a FIT; a later install payload replaces it
 * (a reinstall gets a new installation). Forge changes `installationId` on reinstall without telling the remote,
 * which is why the site link stays as the fallback.
 */

/** `ari:cloud:ecosystem::installation/<uuid>`; anything else is neither stored nor looked up. */
export const FORGE_INSTALLATION_ID =
  /^ari:cloud:ecosystem::installation\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isForgeInstallationId(value: unknown): value is string {
  return typeof value === 'string' && FORGE_INSTALLATION_ID.test(value);
}

/** Who stored a tenant's installation link: its install payload, or the first FIT that reached it by site. */
export type InstallationLinkSource = 'install' | 'fit';

export const installationIndexOf = (table: string) => `${table.slice(0, 44)}_forge_installation_idx`;

const COLUMNS = ['forge_installation_id', 'forge_installation_source'] as const;

/** `[column, ALTER TABLE …]` for each column of the link. */
export const addInstallationColumnsSql = (table: string, ifNotExists: boolean): Array<[string, string]> =>
  COLUMNS.map((column) => [
    column,
    `ALTER TABLE ${table} ADD COLUMN ${ifNotExists ? 'IF NOT EXISTS ' : ''}${column} TEXT`,
  ]);

export const createInstallationIndexSql = (table: string) =>
  `CREATE INDEX IF NOT EXISTS ${installationIndexOf(table)} ON ${table} (forge_installation_id)`;

/**
 * Run with an applied lifecycle change that carried an `installationId`, and with every applied `installed` (a
 * reinstall without one clears the old link: that installation is gone). The install payload's link wins over
 * any link a FIT stored.
 */
export const setInstallationFromPayloadSql = (table: string) =>
  `UPDATE ${table} SET forge_installation_id = CAST(@installationId AS TEXT),
    forge_installation_source = CASE WHEN CAST(@installationId AS TEXT) IS NULL THEN NULL ELSE 'install' END
  WHERE client_key = @clientKey`;

/**
 * The first FIT that reached a tenant by its site stores its installation there. Only on the active tenant of
 * THAT site, never over a link an install payload set, and never when another tenant (active or not) already
 * holds this installation: a link is never moved across tenants.
 */
export const linkInstallationFromFitSql = (table: string) =>
  `UPDATE ${table} SET forge_installation_id = CAST(@installationId AS TEXT), forge_installation_source = 'fit'
  WHERE client_key = @clientKey AND cloud_id = @cloudId AND state IN ('installed', 'enabled')
    AND (forge_installation_source IS NULL OR forge_installation_source = 'fit')
    AND NOT EXISTS (SELECT 1 FROM ${table} AS other WHERE other.forge_installation_id = @installationId AND other.client_key <> @clientKey)`;

/** The active tenant linked to this installation (the newest event wins should two ever be). */
export const selectClientKeyByInstallationSql = (table: string) =>
  `SELECT client_key FROM ${table} WHERE forge_installation_id = @installationId AND state IN ('installed', 'enabled')
  ORDER BY last_event_iat DESC LIMIT 1`;

/** The tenant with its stored installation link, when the row has one. */
export function withInstallationLink(
  tenant: Tenant,
  row: { forge_installation_id?: string | null; forge_installation_source?: string | null },
): Tenant {
  if (typeof row.forge_installation_id === 'string') {
    tenant.forgeInstallationId = row.forge_installation_id;
    tenant.forgeInstallationSource = row.forge_installation_source === 'install' ? 'install' : 'fit';
  }
  return tenant;
}

/** An applied change writes the installation link when it carries one, and every `installed` (a reinstall clears it). */
export const setsInstallation = (change: LifecycleChange) =>
  change.forgeInstallationId !== undefined || change.eventType === 'installed';

export const installationParams = (change: LifecycleChange) => ({
  clientKey: change.clientKey,
  installationId: change.forgeInstallationId ?? null,
});
