import pg from 'pg';
import { createHash } from 'node:crypto';
import { VerificationError } from '../errors.js';
import { ChangeFeed } from './change-feed.js';
import { PgListener } from './pg-listener.js';
import { UNGENERATED, type SecretBox } from './secret-box.js';
import { SecretGenerationWatermark } from './secret-generation.js';
import {
  addGenerationColumnSql,
  assertTableName,
  changeMovesLinks,
  changeParams,
  createTableSql,
  createTokenTableSql,
  insertTokenSql,
  nextGeneration,
  purgeTokensSql,
  rowToTenant,
  selectAllSecretsSql,
  selectEventIatSql,
  selectGenerationSql,
  selectSecretSql,
  selectSql,
  selectTokenSql,
  statementFor,
  tokenReplayed,
  updateSecretSql,
  type EventIatRow,
  type GenerationRow,
  type SecretRow,
  type TenantRow,
  type TokenRow,
} from './sql.js';
import type { LifecycleChange, LifecycleResult, Tenant, TenantChange, TenantStore } from './types.js';
import {
  addCloudIdColumnSql,
  cloudIdIndexOf,
  createCloudIdIndexSql,
  selectClientKeyByCloudIdSql,
  setCloudIdSql,
  withCloudId,
  type CloudIdRow,
} from './cloud-id.js';
import { addOauthClientIdColumnSql, setOauthClientIdSql, withOauthClientId } from './oauth-client-id.js';
import {
  addInstallationColumnsSql,
  createInstallationIndexSql,
  installationIndexOf,
  linkInstallationFromFitSql,
  selectClientKeyByInstallationSql,
  setInstallationFromPayloadSql,
  setsInstallation,
  installationParams,
  withInstallationLink,
} from './installation-link.js';

export interface PostgresTenantStoreOptions {
  connectionString: string;
  secretBox: SecretBox;
  table?: string;
  /** connect and statement timeout, ms (default 5000): an unreachable database answers 503, never hangs */
  timeoutMs?: number;
  max?: number;
  /**
   * NOTIFY channel on which every tenant write announces its clientKey to the other app instances (default
   * `<table>_changed`, so stores on different tables do not evict each other's entries). Same rules as `table`.
   */
  channel?: string;
  /** reconnect backoff of the change listener, ms (default 250, doubling up to 10 000) */
  listenRetryMs?: { min?: number; max?: number };
  /** how often the idle change listener connection is probed, ms (default 30 000) */
  listenHeartbeatMs?: number;
  /**
   * The change listener lost its connection or failed to reconnect (caches fall back to their TTL until it is
   * back). Default: console.warn.
   */
  onListenError?: (error: unknown) => void;
}

/**
 * Wraps a write so it announces the tenant it changed. pg_notify is transactional: the notification is delivered
 * when this statement's implicit transaction commits, and never for a write that rolls back or changed nothing
 * (a stale event returns no row).
 */
const notifying = (sql: string) =>
  `WITH changed AS (${sql}) SELECT changed.*, pg_notify(@channel, changed.client_key) AS notified FROM changed`;

export function defaultChannel(table: string): string {
  return `${table.slice(0, 55)}_changed`;
}

/** What `get` reads: every column this version knows. */
const TENANT_COLUMNS = [
  'client_key',
  'base_url',
  'shared_secret',
  'state',
  'product_type',
  'description',
  'last_event_iat',
  'last_event_rank',
  'installed_at',
  'updated_at',
  'secret_generation',
  'cloud_id',
  'forge_installation_id',
  'forge_installation_source',
  'oauth_client_id',
] as const;

/** Rewrites `@name` parameters to `$n` and returns the matching value list. */
function toPositional(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/@([a-zA-Z]+)/g, (_, name: string) => {
    let index = order.indexOf(name);
    if (index === -1) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: order.map((name) => params[name]) };
}

/**
 * Every write of one tenant's secret (install, re-encryption) takes this transaction-scoped lock first, so two of
 * them never read the same generation, even for a tenant that has no row yet (nothing for `FOR UPDATE` to lock).
 * The key is the first 8 bytes of sha256(table, clientKey), as the signed bigint PostgreSQL takes.
 */
const lockSecretSql = 'SELECT pg_advisory_xact_lock(CAST(@lockKey AS BIGINT))';

function secretLockKey(table: string, clientKey: string): string {
  const digest = createHash('sha256').update(`${table}\0${clientKey}`, 'utf8').digest();
  return digest.readBigInt64BE(0).toString();
}

/** The columns the table has now: newer releases add theirs on open. */
const tableColumnsSql = `SELECT column_name FROM information_schema.columns
  WHERE table_schema = current_schema() AND table_name = $1`;
const indexExistsSql = 'SELECT to_regclass($1) IS NOT NULL AS present';

function unavailable(cause: unknown): VerificationError {
  if (cause instanceof VerificationError) return cause;
  return new VerificationError('STORE_UNAVAILABLE', 'The tenant store (PostgreSQL) is unavailable; retry later.', {
    cause,
  });
}

function warnListenError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(
    `[confluence-iframe-kit/server] tenant change listener: ${message}; reconnecting (tenant caches rely on their TTL meanwhile)`,
  );
}

/**
 * For several app instances sharing one database. Creates its table on first use. Writes NOTIFY the other
 * instances, whose TenantDirectory (via `subscribe`) drops the changed tenant at once instead of after its TTL.
 */
export async function createPostgresTenantStore(options: PostgresTenantStoreOptions): Promise<TenantStore> {
  const table = assertTableName(options.table ?? 'cik_tenants');
  const channel = assertTableName(options.channel ?? defaultChannel(table), 'tenant change channel name');
  const timeout = options.timeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    connectionTimeoutMillis: timeout,
    statement_timeout: timeout,
    query_timeout: timeout,
    max: options.max ?? 10,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const box = options.secretBox;
  const watermark = new SecretGenerationWatermark();
  const toTenant = (row: TenantRow) => rowToTenant(row, box, watermark);
  /** The tenant with its site and installation link, from a full row. */
  const tenantOf = (row: TenantRow) =>
    withOauthClientId(withInstallationLink(withCloudId(toTenant(row), row), row), row);
  const feed = new ChangeFeed();
  let listener: PgListener | undefined;
  let closed = false;

  async function query(sql: string, params: Record<string, unknown>): Promise<TenantRow | undefined> {
    const { text, values } = toPositional(sql, params);
    try {
      const result = await pool.query<TenantRow>(text, values);
      return result.rows[0];
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  /**
   * The read behind every cache miss and TTL reload: a named prepared statement, so PostgreSQL parses and plans it
   * once per pooled connection instead of on every call (with many tenants these reads are most of the store's load).
   */
  const selectTenantQuery = {
    name: `${table}_select_tenant`,
    // Named columns, not `*`: a column added later by another instance's migration must not change this prepared
    // statement's result type (PostgreSQL would refuse to run it: "cached plan must not change result type").
    text: `SELECT ${TENANT_COLUMNS.join(', ')} FROM ${table} WHERE client_key = $1`,
  };
  async function selectTenant(clientKey: string): Promise<TenantRow | undefined> {
    try {
      const result = await pool.query<TenantRow>({ ...selectTenantQuery, values: [clientKey] });
      return result.rows[0];
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  /** One pooled connection for a transaction, with `@name` queries on it; a failed connect is STORE_UNAVAILABLE. */
  async function checkOut() {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw unavailable(cause);
    }
    const query = <Row extends object>(sql: string, values: Record<string, unknown>) => {
      const { text, values: positional } = toPositional(sql, values);
      return client.query<Row>(text, positional);
    };
    return { client, query };
  }

  /**
   * Records the token (when given) and applies the change in one transaction. Two instances racing with the same
   * token: the second INSERT waits on the first one's row lock and then finds it recorded, so only one applies. A
   * change that writes a secret reads the tenant's generation under its lock in the same transaction.
   */
  async function applyInTransaction(change: LifecycleChange, now: string): Promise<LifecycleResult> {
    const token = change.token;
    const { client, query: queryOnClient } = await checkOut();
    const run = async <Row extends object>(sql: string, values: Record<string, unknown>) =>
      (await queryOnClient<Row>(sql, values)).rows[0];
    let failed = false;
    try {
      await client.query('BEGIN');
      if (token) {
        await run(purgeTokensSql(table), { now: Math.floor(Date.now() / 1000) });
        const recorded = await run<{ token_hash: string }>(insertTokenSql(table), { ...token });
        if (!recorded) {
          const seen = await run<TokenRow>(selectTokenSql(table), { tokenHash: token.tokenHash });
          const current = await run<TenantRow>(selectSql(table), { clientKey: change.clientKey });
          await client.query('ROLLBACK');
          if (seen?.body_hash !== token.bodyHash) throw tokenReplayed();
          return { applied: false, replayed: true, tenant: current ? toTenant(current) : undefined };
        }
      }
      let generation = UNGENERATED;
      if (change.sharedSecret !== undefined) {
        await run(lockSecretSql, { lockKey: secretLockKey(table, change.clientKey) });
        generation = nextGeneration(
          await run<GenerationRow>(selectGenerationSql(table), { clientKey: change.clientKey }),
        );
      }
      const before = await run<EventIatRow>(selectEventIatSql(table, true), { clientKey: change.clientKey });
      const params = { ...changeParams(change, box, now, generation), channel };
      const row = await run<TenantRow>(notifying(statementFor(change, table)), params);
      const movesLinks = row !== undefined && changeMovesLinks(before, change);
      if (movesLinks && change.cloudId !== undefined) {
        await run(setCloudIdSql(table), { clientKey: change.clientKey, cloudId: change.cloudId });
      }
      // The OAuth client id moves with the links: only the first event or a newer one names it.
      if (movesLinks && change.oauthClientId !== undefined) {
        await run(setOauthClientIdSql(table), { clientKey: change.clientKey, oauthClientId: change.oauthClientId });
      }
      if (movesLinks && setsInstallation(change)) {
        await run(setInstallationFromPayloadSql(table), installationParams(change));
      }
      // The applied tenant as it now stands, with the site and installation link the statements above wrote.
      const current = await run<TenantRow>(selectSql(table), { clientKey: change.clientKey });
      await client.query('COMMIT');
      if (row) return { applied: true, tenant: current ? tenantOf(current) : toTenant(row) };
      return { applied: false, tenant: current ? toTenant(current) : undefined };
    } catch (cause) {
      if (cause instanceof VerificationError && cause.code === 'LIFECYCLE_TOKEN_REPLAYED') throw cause;
      failed = true;
      await client.query('ROLLBACK').catch(() => {});
      throw unavailable(cause);
    } finally {
      client.release(failed);
    }
  }

  /**
   * Re-reads the record under the tenant's secret lock (a reinstall since the listing already wrote the newest
   * format) and writes it as the next generation. 1 when rewritten.
   */
  async function reencryptOne(clientKey: string): Promise<number> {
    const { client, query: run } = await checkOut();
    let failed = false;
    try {
      await client.query('BEGIN');
      await run(lockSecretSql, { lockKey: secretLockKey(table, clientKey) });
      const current = (await run<SecretRow>(selectSecretSql(table), { clientKey })).rows[0];
      if (!current || box.isCurrent(current.shared_secret)) {
        await client.query('ROLLBACK');
        return 0;
      }
      const generation = Number(current.secret_generation);
      // Checked before decrypting: re-encrypting a rolled-back record would give it a fresh, valid generation.
      watermark.observe(clientKey, generation);
      const plaintext = box.decrypt(current.shared_secret, clientKey, generation);
      const newGeneration = generation + 1;
      const result = await run(updateSecretSql(table), {
        clientKey,
        oldSecret: current.shared_secret,
        oldGeneration: generation,
        newSecret: box.encrypt(plaintext, clientKey, newGeneration),
        newGeneration,
      });
      await client.query('COMMIT');
      if ((result.rowCount ?? 0) > 0) watermark.observe(clientKey, newGeneration);
      return result.rowCount ?? 0;
    } catch (cause) {
      failed = !(cause instanceof VerificationError);
      await client.query('ROLLBACK').catch(() => {});
      throw unavailable(cause);
    } finally {
      client.release(failed);
    }
  }

  try {
    await pool.query(createTableSql(table, 'BIGINT'));
    // Tables created by an older release get the newer columns and indexes on open. Each is asked for first:
    // ALTER TABLE takes an exclusive lock even when the column is already there, and behind a long transaction on
    // the table that would make every store open wait (and fail).
    const columns = new Set(
      (await pool.query<{ column_name: string }>(tableColumnsSql, [table])).rows.map((row) => row.column_name),
    );
    const addColumnIfMissing = async (name: string, sql: string) => {
      if (!columns.has(name)) await pool.query(sql);
    };
    const createIndexIfMissing = async (index: string, sql: string) => {
      const { rows } = await pool.query<{ present: boolean }>(indexExistsSql, [index]);
      if (!rows[0]?.present) await pool.query(sql);
    };
    await addColumnIfMissing('secret_generation', addGenerationColumnSql(table, 'BIGINT', true));
    await pool.query(createTokenTableSql(table, 'BIGINT'));
    await addColumnIfMissing('cloud_id', addCloudIdColumnSql(table, true));
    await createIndexIfMissing(cloudIdIndexOf(table), createCloudIdIndexSql(table));
    for (const [column, sql] of addInstallationColumnsSql(table, true)) await addColumnIfMissing(column, sql);
    await createIndexIfMissing(installationIndexOf(table), createInstallationIndexSql(table));
    await addColumnIfMissing('oauth_client_id', addOauthClientIdColumnSql(table, true));
  } catch (cause) {
    await pool.end().catch(() => {});
    throw unavailable(cause);
  }

  return {
    async get(clientKey: string): Promise<Tenant | undefined> {
      let row = await selectTenant(clientKey);
      // A read sent before this process's own newer write committed can arrive after it: read once more before
      // calling an older generation a rollback.
      if (row && watermark.isBehind(row.client_key, Number(row.secret_generation))) {
        row = await selectTenant(clientKey);
      }
      return row ? tenantOf(row) : undefined;
    },
    async findClientKeyByInstallationId(installationId: string): Promise<string | undefined> {
      const { text, values } = toPositional(selectClientKeyByInstallationSql(table), { installationId });
      try {
        return (await pool.query<CloudIdRow>(text, values)).rows[0]?.client_key;
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    async linkForgeInstallation(link: { clientKey: string; cloudId: string; installationId: string }) {
      // Announced like any tenant write, so other instances reload the tenant with its link.
      const row = await query(notifying(`${linkInstallationFromFitSql(table)} RETURNING *`), { ...link, channel });
      return row !== undefined;
    },
    async findClientKeyByCloudId(cloudId: string): Promise<string | undefined> {
      const { text, values } = toPositional(selectClientKeyByCloudIdSql(table), { cloudId });
      try {
        return (await pool.query<CloudIdRow>(text, values)).rows[0]?.client_key;
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    async applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult> {
      const now = new Date().toISOString();
      // A change that records a token, writes a secret or may move the tenant's links reads and writes in one
      // transaction (the links move only when the event is newer than the stored one: `changeMovesLinks`).
      if (
        change.token ||
        change.sharedSecret !== undefined ||
        change.cloudId !== undefined ||
        change.oauthClientId !== undefined ||
        setsInstallation(change)
      ) {
        return applyInTransaction(change, now);
      }
      // A state-only change: one statement, no transaction.
      const row = await query(notifying(statementFor(change, table)), {
        ...changeParams(change, box, now, UNGENERATED),
        channel,
      });
      // The tenant as it now stands: applied, or as it was.
      const current = await query(selectSql(table), { clientKey: change.clientKey });
      if (row) return { applied: true, tenant: current ? tenantOf(current) : toTenant(row) };
      return { applied: false, tenant: current ? toTenant(current) : undefined };
    },
    async subscribe(onChange: (change: TenantChange) => void): Promise<() => Promise<void>> {
      if (closed) throw new Error('The tenant store is closed.');
      const remove = feed.add(onChange);
      listener ??= new PgListener({
        connectionString: options.connectionString,
        channel,
        timeoutMs: timeout,
        minRetryMs: options.listenRetryMs?.min ?? 250,
        maxRetryMs: options.listenRetryMs?.max ?? 10_000,
        heartbeatMs: options.listenHeartbeatMs ?? 30_000,
        onChange: (change) => feed.emit(change),
        onError: options.onListenError ?? warnListenError,
      });
      const current = listener;
      await current.start();
      let unsubscribed = false;
      return async () => {
        if (unsubscribed) return;
        unsubscribed = true;
        remove();
        // The connection exists only for subscribers: the last one leaving ends it, so nothing keeps the process up.
        if (feed.size === 0 && listener === current) {
          listener = undefined;
          await current.close();
        }
      };
    },
    async reencryptSecrets(): Promise<number> {
      let rows: SecretRow[];
      try {
        rows = (await pool.query<SecretRow>(selectAllSecretsSql(table))).rows;
      } catch (cause) {
        throw unavailable(cause);
      }
      let rewritten = 0;
      for (const row of rows) {
        if (box.isCurrent(row.shared_secret)) continue;
        rewritten += await reencryptOne(row.client_key);
      }
      return rewritten;
    },
    async close() {
      closed = true;
      feed.clear();
      watermark.clear();
      const current = listener;
      listener = undefined;
      await current?.close();
      await pool.end();
    },
  };
}
