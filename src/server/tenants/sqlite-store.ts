import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VerificationError } from '../errors.js';
import { ChangeFeed } from './change-feed.js';
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
  createCloudIdIndexSql,
  hasCloudIdColumnSql,
  selectClientKeyByCloudIdSql,
  setCloudIdSql,
  withCloudId,
  type CloudIdRow,
} from './cloud-id.js';

export interface SqliteTenantStoreOptions {
  /** database file; ':memory:' for tests that need no file */
  filename: string;
  secretBox: SecretBox;
  table?: string;
  /**
   * How long a statement waits for another connection's lock before answering 503, ms (default 100).
   * better-sqlite3 waits synchronously, blocking the event loop, so the wait is kept short.
   */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 100;

function unavailable(cause: unknown): VerificationError {
  if (cause instanceof VerificationError) return cause;
  return new VerificationError(
    'STORE_UNAVAILABLE',
    'The tenant store (SQLite) is locked or unavailable; retry later.',
    {
      cause,
    },
  );
}

/** The embedded default store: one SQLite file, WAL mode, one statement per lifecycle change. */
export function createSqliteTenantStore(options: SqliteTenantStoreOptions): TenantStore {
  const table = assertTableName(options.table ?? 'cik_tenants');
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
  const db = new Database(options.filename, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.exec(createTableSql(table, 'INTEGER'));
  db.exec(createTokenTableSql(table, 'INTEGER'));
  // Tables created before the site link get the column on open.
  if (!db.prepare(hasCloudIdColumnSql(table)).get()) db.exec(addCloudIdColumnSql(table, false));
  db.exec(createCloudIdIndexSql(table));
  const setCloudId = db.prepare(setCloudIdSql(table));
  const selectByCloudId = db.prepare<[Record<string, unknown>], CloudIdRow>(selectClientKeyByCloudIdSql(table));
  const select = db.prepare<[Record<string, unknown>], TenantRow>(selectSql(table));
  const purgeTokens = db.prepare(purgeTokensSql(table));
  const insertToken = db.prepare<[Record<string, unknown>], { token_hash: string }>(insertTokenSql(table));
  const selectToken = db.prepare<[Record<string, unknown>], TokenRow>(selectTokenSql(table));
  const statements = new Map<string, Database.Statement<[Record<string, unknown>], TenantRow>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare<[Record<string, unknown>], TenantRow>(sql)));
    return statement;
  };
  const box = options.secretBox;

  const applyInTransaction = db.transaction((change: LifecycleChange, params: Record<string, unknown>) => {
    if (change.token) {
      purgeTokens.run({ now: Math.floor(Date.now() / 1000) });
      const recorded = insertToken.get({ ...change.token });
      if (!recorded) {
        const seen = selectToken.get({ tokenHash: change.token.tokenHash });
        return { row: undefined, current: select.get({ clientKey: change.clientKey }), replayedBody: seen?.body_hash };
      }
    }
    const row = prepared(statementFor(change, table)).get(params);
    if (row && change.cloudId !== undefined) setCloudId.run({ clientKey: change.clientKey, cloudId: change.cloudId });
    const current = row ? undefined : select.get({ clientKey: change.clientKey });
    return { row, current, replayedBody: undefined };
  });
  // In-process only: several directories over this one store object hear each other's writes. Other processes
  // on the same file are not told; their caches rely on the TTL.
  const feed = new ChangeFeed();

  return {
    async get(clientKey: string): Promise<Tenant | undefined> {
      let row: TenantRow | undefined;
      try {
        row = select.get({ clientKey });
      } catch (cause) {
        throw unavailable(cause);
      }
      return row ? withCloudId(rowToTenant(row, box), row as { cloud_id?: string | null }) : undefined;
    },
    async findClientKeyByCloudId(cloudId: string): Promise<string | undefined> {
      try {
        return selectByCloudId.get({ cloudId })?.client_key;
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    async applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult> {
      const params = changeParams(change, box, new Date().toISOString());
      let outcome: ReturnType<typeof applyInTransaction>;
      try {
        // IMMEDIATE: the write lock is taken first, so two processes on one file record a token one after the other.
        outcome = applyInTransaction.immediate(change, params);
      } catch (cause) {
        throw unavailable(cause);
      }
      const { row, current, replayedBody } = outcome;
      if (replayedBody !== undefined) {
        if (replayedBody !== change.token?.bodyHash) throw tokenReplayed();
        return { applied: false, replayed: true, tenant: current ? rowToTenant(current, box) : undefined };
      }
      if (row) {
        feed.emit({ type: 'changed', clientKey: change.clientKey });
        return { applied: true, tenant: rowToTenant(row, box) };
      }
      return { applied: false, tenant: current ? rowToTenant(current, box) : undefined };
    },
    async subscribe(onChange: (change: TenantChange) => void): Promise<() => Promise<void>> {
      const remove = feed.add(onChange);
      return async () => {
        remove();
      };
    },
    async reencryptSecrets(): Promise<number> {
      const rows = db.prepare<[], { client_key: string; shared_secret: string }>(selectAllSecretsSql(table)).all();
      const update = db.prepare(updateSecretSql(table));
      let rewritten = 0;
      for (const row of rows) {
        if (box.isCurrent(row.shared_secret)) continue;
        const plaintext = box.decrypt(row.shared_secret, row.client_key);
        const result = update.run({
          clientKey: row.client_key,
          oldSecret: row.shared_secret,
          newSecret: box.encrypt(plaintext, row.client_key),
        });
        rewritten += result.changes;
      }
      return rewritten;
    },
    async close() {
      feed.clear();
      db.close();
    },
  };
}
