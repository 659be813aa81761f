import pg from 'pg';
import { VerificationError } from '../errors.js';
import { ChangeFeed } from './change-feed.js';
import { PgListener } from './pg-listener.js';
import type { SecretBox } from './secret-box.js';
import {
  assertTableName,
  changeParams,
  createTableSql,
  createTokenTableSql,
  insertTokenSql,
  purgeTokensSql,
  rowToTenant,
  selectAllSecretsSql,
  selectSql,
  selectTokenSql,
  statementFor,
  tokenReplayed,
  updateSecretSql,
  type TenantRow,
  type TokenRow,
} from './sql.js';
import type { LifecycleChange, LifecycleResult, Tenant, TenantChange, TenantStore } from './types.js';
import {
  addCloudIdColumnSql,
  cloudIdIndexOf,
  createCloudIdIndexSql,
  pgCloudIdMigrationStateSql,
  selectClientKeyByCloudIdSql,
  type CloudIdMigrationState,
  setCloudIdSql,
  withCloudId,
  type CloudIdRow,
} from './cloud-id.js';

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
   * Records the token and applies the change in one transaction. Two instances racing with the same token: the
   * second INSERT waits on the first one's row lock and then finds it recorded, so only one applies.
   */
  async function applyWithToken(change: LifecycleChange, params: Record<string, unknown>): Promise<LifecycleResult> {
    const token = change.token!;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw unavailable(cause);
    }
    const run = async <Row extends object>(sql: string, values: Record<string, unknown>) => {
      const { text, values: positional } = toPositional(sql, values);
      return (await client.query<Row>(text, positional)).rows[0];
    };
    let failed = false;
    try {
      await client.query('BEGIN');
      await run(purgeTokensSql(table), { now: Math.floor(Date.now() / 1000) });
      const recorded = await run<{ token_hash: string }>(insertTokenSql(table), { ...token });
      if (!recorded) {
        const seen = await run<TokenRow>(selectTokenSql(table), { tokenHash: token.tokenHash });
        const current = await run<TenantRow>(selectSql(table), { clientKey: change.clientKey });
        await client.query('ROLLBACK');
        if (seen?.body_hash !== token.bodyHash) throw tokenReplayed();
        return { applied: false, replayed: true, tenant: current ? rowToTenant(current, box) : undefined };
      }
      const row = await run<TenantRow>(notifying(statementFor(change, table)), params);
      if (row && change.cloudId !== undefined) {
        await run(setCloudIdSql(table), { clientKey: change.clientKey, cloudId: change.cloudId });
      }
      const current = row ? undefined : await run<TenantRow>(selectSql(table), { clientKey: change.clientKey });
      await client.query('COMMIT');
      if (row) return { applied: true, tenant: rowToTenant(row, box) };
      return { applied: false, tenant: current ? rowToTenant(current, box) : undefined };
    } catch (cause) {
      if (cause instanceof VerificationError && cause.code === 'LIFECYCLE_TOKEN_REPLAYED') throw cause;
      failed = true;
      await client.query('ROLLBACK').catch(() => {});
      throw unavailable(cause);
    } finally {
      client.release(failed);
    }
  }

  try {
    await pool.query(createTableSql(table, 'BIGINT'));
    await pool.query(createTokenTableSql(table, 'BIGINT'));
    // Tables created before the site link get the column on open (asked first: ALTER TABLE locks the table).
    const { text, values } = toPositional(pgCloudIdMigrationStateSql(), { table, index: cloudIdIndexOf(table) });
    const migration = (await pool.query<CloudIdMigrationState>(text, values)).rows[0];
    if (!migration?.has_column) await pool.query(addCloudIdColumnSql(table, true));
    if (!migration?.has_index) await pool.query(createCloudIdIndexSql(table));
  } catch (cause) {
    await pool.end().catch(() => {});
    throw unavailable(cause);
  }

  return {
    async get(clientKey: string): Promise<Tenant | undefined> {
      const row = await query(selectSql(table), { clientKey });
      return row ? withCloudId(rowToTenant(row, box), row as { cloud_id?: string | null }) : undefined;
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
      const params = { ...changeParams(change, box, new Date().toISOString()), channel };
      if (change.token) return applyWithToken(change, params);
      const row = await query(notifying(statementFor(change, table)), params);
      if (row && change.cloudId !== undefined) {
        await query(setCloudIdSql(table), { clientKey: change.clientKey, cloudId: change.cloudId });
      }
      if (row) return { applied: true, tenant: rowToTenant(row, box) };
      const current = await query(selectSql(table), { clientKey: change.clientKey });
      return { applied: false, tenant: current ? rowToTenant(current, box) : undefined };
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
      let rows: Array<{ client_key: string; shared_secret: string }>;
      try {
        rows = (await pool.query<{ client_key: string; shared_secret: string }>(selectAllSecretsSql(table))).rows;
      } catch (cause) {
        throw unavailable(cause);
      }
      let rewritten = 0;
      for (const row of rows) {
        if (box.isCurrent(row.shared_secret)) continue;
        const plaintext = box.decrypt(row.shared_secret, row.client_key);
        const { text, values } = toPositional(updateSecretSql(table), {
          clientKey: row.client_key,
          oldSecret: row.shared_secret,
          newSecret: box.encrypt(plaintext, row.client_key),
        });
        try {
          rewritten += (await pool.query(text, values)).rowCount ?? 0;
        } catch (cause) {
          throw unavailable(cause);
        }
      }
      return rewritten;
    },
    async close() {
      closed = true;
      feed.clear();
      const current = listener;
      listener = undefined;
      await current?.close();
      await pool.end();
    },
  };
}
