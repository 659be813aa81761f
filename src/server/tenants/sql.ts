import { EVENT_RANK, type LifecycleChange, type Tenant, type TenantState } from './types.js';
import { VerificationError } from '../errors.js';
import type { SecretBox } from './secret-box.js';
import type { SecretGenerationWatermark } from './secret-generation.js';

/**
 * SQL shared by the SQLite and PostgreSQL stores. Each lifecycle change is ONE statement (an upsert or an update
 * guarded by the event order), so there is no read-modify-write window and no partial write to roll back.
 * Parameters are written `@name`; the PostgreSQL store rewrites them to `$n`.
 */
export function assertTableName(table: string, what = 'tenant table name'): string {
  // Interpolated into SQL (identifiers take no parameters), so only plain lower-case identifiers pass.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new Error(`Invalid ${what}: ${table}`);
  return table;
}

export function createTableSql(table: string, iatType: 'INTEGER' | 'BIGINT'): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    client_key TEXT PRIMARY KEY,
    base_url TEXT NOT NULL,
    shared_secret TEXT NOT NULL,
    state TEXT NOT NULL,
    product_type TEXT,
    description TEXT,
    last_event_iat ${iatType} NOT NULL,
    last_event_rank INTEGER NOT NULL,
    installed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    secret_generation ${iatType} NOT NULL DEFAULT 0
  )`;
}

/**
 * Tables created before secret generations existed get the column, 0 for every existing record (read as the
 * v1/v2 record it holds; `reencryptSecrets()` upgrades them). PostgreSQL skips it when present; SQLite has no
 * `IF NOT EXISTS` here, so its store asks `PRAGMA table_info` first.
 */
export function addGenerationColumnSql(table: string, type: 'INTEGER' | 'BIGINT', ifNotExists: boolean): string {
  return `ALTER TABLE ${table} ADD COLUMN ${ifNotExists ? 'IF NOT EXISTS ' : ''}secret_generation ${type} NOT NULL DEFAULT 0`;
}

/** The generation the next write of this tenant's secret must exceed (no row: the write is generation 1). */
export const selectGenerationSql = (table: string) =>
  `SELECT secret_generation FROM ${table} WHERE client_key = @clientKey`;

export interface GenerationRow {
  secret_generation: number | string;
}

/**
 * Generation of the next secret write (read in the write's transaction): one more than the stored one. A tenant
 * without a row starts at the current time in milliseconds rather than at 1, so a tenant whose row was deleted
 * (by hand, or by a retention job) and that installs again still gets a higher generation than any of its old
 * records, and processes that saw those do not refuse the new one.
 */
export function nextGeneration(current: GenerationRow | undefined, now = Date.now()): number {
  if (current === undefined) return now;
  return Number(current.secret_generation) + 1;
}

/** Where applied lifecycle tokens are recorded (hashes only) until they expire. */
export function tokenTableOf(table: string): string {
  return `${table.slice(0, 45)}_lifecycle_tokens`;
}

export function createTokenTableSql(table: string, expiresType: 'INTEGER' | 'BIGINT'): string {
  return `CREATE TABLE IF NOT EXISTS ${tokenTableOf(table)} (
    token_hash TEXT PRIMARY KEY,
    body_hash TEXT NOT NULL,
    expires_at ${expiresType} NOT NULL
  )`;
}

export const purgeTokensSql = (table: string) => `DELETE FROM ${tokenTableOf(table)} WHERE expires_at < @now`;

/** Records the token; no row back when it was already recorded (then `selectTokenSql` says with which body). */
export const insertTokenSql = (table: string) => `INSERT INTO ${tokenTableOf(table)} (token_hash, body_hash, expires_at)
  VALUES (@tokenHash, @bodyHash, @expiresAt)
  ON CONFLICT (token_hash) DO NOTHING
  RETURNING token_hash`;

export const selectTokenSql = (table: string) =>
  `SELECT body_hash FROM ${tokenTableOf(table)} WHERE token_hash = @tokenHash`;

export interface TokenRow {
  body_hash: string;
}

export function tokenReplayed(): VerificationError {
  return new VerificationError(
    'LIFECYCLE_TOKEN_REPLAYED',
    'This lifecycle token was already applied with another body; nothing changed.',
  );
}

export const selectAllSecretsSql = (table: string) =>
  `SELECT client_key, shared_secret, secret_generation FROM ${table}`;

export const selectSecretSql = (table: string) =>
  `SELECT client_key, shared_secret, secret_generation FROM ${table} WHERE client_key = @clientKey`;

export interface SecretRow {
  client_key: string;
  shared_secret: string;
  secret_generation: number | string;
}

/**
 * Only when the record still holds what was read: a reinstall in between keeps its own (newer) ciphertext. The
 * re-encrypted record is the next generation, so the one it replaces cannot be copied back.
 */
export const updateSecretSql = (table: string) =>
  `UPDATE ${table} SET shared_secret = @newSecret, secret_generation = @newGeneration
  WHERE client_key = @clientKey AND shared_secret = @oldSecret AND secret_generation = @oldGeneration`;

export const selectSql = (table: string) => `SELECT * FROM ${table} WHERE client_key = @clientKey`;

/**
 * Applies when the event is not older than what is stored. Within the same second (iat has 1 s resolution) events
 * apply in arrival order, except that an uninstalled tenant then takes only a reinstall: Atlassian sends `disabled`
 * and `uninstalled` in parallel, and the `disabled` must not revive the tenant, while a same-second reinstall must not
 * be dropped with a 204 that Atlassian never retries.
 */
const NOT_OLDER = (table: string) =>
  `(${table}.last_event_iat < @iat OR (${table}.last_event_iat = @iat AND (${table}.last_event_rank <> 3 OR @rank IN (0, 3))))`;

/**
 * A reinstall replaces the secret and baseUrl, so at the same iat it applies only over an uninstalled tenant: an
 * install token whose iat equals the stored one is never treated as a newer event.
 */
const NOT_OLDER_INSTALL = (table: string) =>
  `(${table}.last_event_iat < @iat OR (${table}.last_event_iat = @iat AND ${table}.last_event_rank = 3))`;

/** installed, or any event for a tenant not seen yet: create or replace the whole tenant. */
export const upsertSql = (table: string) => `INSERT INTO ${table}
  (client_key, base_url, shared_secret, state, product_type, description, last_event_iat, last_event_rank, installed_at, updated_at, secret_generation)
  VALUES (@clientKey, @baseUrl, @sharedSecret, @state, @productType, @description, @iat, @rank, @now, @now, @generation)
  ON CONFLICT (client_key) DO UPDATE SET
    base_url = @baseUrl, shared_secret = @sharedSecret, secret_generation = @generation, state = @state, product_type = @productType,
    description = @description, last_event_iat = @iat, last_event_rank = @rank, updated_at = @now,
    installed_at = CASE WHEN ${table}.state = 'uninstalled' THEN @now ELSE ${table}.installed_at END
  WHERE ${NOT_OLDER_INSTALL(table)}
  RETURNING *`;

/** enabled / disabled / uninstalled of a known tenant: only the state moves; the secret and baseUrl stay. */
export const stateUpdateSql = (table: string) => `UPDATE ${table}
  SET state = @state, last_event_iat = @iat, last_event_rank = @rank, updated_at = @now
  WHERE client_key = @clientKey AND ${NOT_OLDER(table)}
  RETURNING *`;

export interface TenantRow {
  client_key: string;
  base_url: string;
  shared_secret: string;
  state: string;
  product_type: string | null;
  description: string | null;
  last_event_iat: number | string;
  last_event_rank: number;
  installed_at: string;
  updated_at: string;
  secret_generation: number | string;
  /** columns added on open by later migrations (cloud-id.ts, installation-link.ts) */
  cloud_id?: string | null;
  forge_installation_id?: string | null;
  forge_installation_source?: string | null;
  oauth_client_id?: string | null;
}

/**
 * @param generation of the secret this change writes (`nextGeneration`, read in the same transaction); unused by
 *   a change without a secret
 */
export function changeParams(
  change: LifecycleChange,
  box: SecretBox,
  now: string,
  generation: number,
): Record<string, string | number | null> {
  return {
    clientKey: change.clientKey,
    baseUrl: change.baseUrl,
    sharedSecret:
      change.sharedSecret === undefined ? null : box.encrypt(change.sharedSecret, change.clientKey, generation),
    generation,
    state: change.eventType,
    productType: change.productType ?? null,
    description: change.description ?? null,
    iat: change.iat,
    rank: EVENT_RANK[change.eventType],
    now,
  };
}

/**
 * enabled / disabled / uninstalled that carry the install payload: create the tenant if this is the first event
 * seen (so an `uninstalled` that overtakes its `installed` still wins), otherwise move only the state.
 */
export const stateUpsertSql = (table: string) => `INSERT INTO ${table}
  (client_key, base_url, shared_secret, state, product_type, description, last_event_iat, last_event_rank, installed_at, updated_at, secret_generation)
  VALUES (@clientKey, @baseUrl, @sharedSecret, @state, @productType, @description, @iat, @rank, @now, @now, @generation)
  ON CONFLICT (client_key) DO UPDATE SET
    state = @state, last_event_iat = @iat, last_event_rank = @rank, updated_at = @now
  WHERE ${NOT_OLDER(table)}
  RETURNING *`;

/** Which statement applies a change: only `installed` replaces the secret and baseUrl. */
export function statementFor(change: LifecycleChange, table: string): string {
  if (change.sharedSecret === undefined) return stateUpdateSql(table);
  return change.eventType === 'installed' ? upsertSql(table) : stateUpsertSql(table);
}

/**
 * The stored event's iat, read in the change's transaction before the change applies (PostgreSQL also locks the
 * row, so no other event of this tenant applies in between).
 */
export const selectEventIatSql = (table: string, lockRow: boolean) =>
  `SELECT last_event_iat FROM ${table} WHERE client_key = @clientKey${lockRow ? ' FOR UPDATE' : ''}`;

export interface EventIatRow {
  last_event_iat: number | string;
}

/**
 * Whether an applied change may write the tenant's site (`cloudId`) and Forge installation link: only the tenant's
 * first event, or one strictly newer than the stored one. An event with the SAME iat still applies its state (events
 * of one second apply in arrival order), but it never re-links: the lifecycle JWT does not sign the body, so a
 * replay of the stored event's own token with another body must not be able to point the tenant at another site
 * or installation, even if its replay record were gone.
 *
 * @param before the stored event's iat, read before the change (`selectEventIatSql`); undefined for a new tenant
 */
export function changeMovesLinks(before: EventIatRow | undefined, change: LifecycleChange): boolean {
  return before === undefined || Number(before.last_event_iat) < change.iat;
}

/**
 * Decrypts the secret for the generation stored with it, and refuses a generation older than `watermark` has seen
 * for this tenant (a record copied back from an earlier write).
 */
export function rowToTenant(row: TenantRow, box: SecretBox, watermark: SecretGenerationWatermark): Tenant {
  const generation = Number(row.secret_generation);
  const sharedSecret = box.decrypt(row.shared_secret, row.client_key, generation);
  watermark.observe(row.client_key, generation);
  const tenant: Tenant = {
    clientKey: row.client_key,
    baseUrl: row.base_url,
    sharedSecret,
    state: row.state as TenantState,
    lastEventIat: Number(row.last_event_iat),
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
  if (row.product_type !== null) tenant.productType = row.product_type;
  if (row.description !== null) tenant.description = row.description;
  return tenant;
}
