import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VerificationError } from '../errors.js';
import { ChangeFeed } from './change-feed.js';
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
  linkInstallationFromFitSql,
  selectClientKeyByInstallationSql,
  setInstallationFromPayloadSql,
  setsInstallation,
  installationParams,
  withInstallationLink,
} from './installation-link.js';

export interface SqliteTenantStoreOptions {
  /** database file; ':memory:' for tests that need no file */
  filename: string;
  secretBox: SecretBox;
  table?: string;
  /**
   * How long a call waits for another connection's lock before answering 503, ms (default 100). The wait is on
   * timers (the event loop keeps serving meanwhile), never in SQLite's own busy handler, which would block it.
   */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 100;
/** Opening (WAL, tables, migration) runs once, before the store serves: it may wait this long for a lock. */
const SETUP_BUSY_TIMEOUT_MS = 5_000;
const FIRST_RETRY_DELAY_MS = 2;
const MAX_RETRY_DELAY_MS = 25;

/** SQLITE_BUSY (another connection holds the lock) or SQLITE_LOCKED, with any extended code. */
function isLocked(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db = new Database(options.filename, { timeout: SETUP_BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.exec(createTableSql(table, 'INTEGER'));
  // Tables created by an older release get the newer columns on open. SQLite has no ADD COLUMN IF NOT EXISTS: each
  // column is asked for first, and an add that fails because another process opening the same file added it first
  // is not an error.
  const hasColumn = (name: string) =>
    (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((column) => column.name === name);
  const addColumnIfMissing = (name: string, sql: string) => {
    if (hasColumn(name)) return;
    try {
      db.exec(sql);
    } catch (error) {
      if (!hasColumn(name)) throw error;
    }
  };
  addColumnIfMissing('secret_generation', addGenerationColumnSql(table, 'INTEGER', false));
  db.exec(createTokenTableSql(table, 'INTEGER'));
  addColumnIfMissing('cloud_id', addCloudIdColumnSql(table, false));
  db.exec(createCloudIdIndexSql(table));
  for (const [column, sql] of addInstallationColumnsSql(table, false)) addColumnIfMissing(column, sql);
  db.exec(createInstallationIndexSql(table));
  addColumnIfMissing('oauth_client_id', addOauthClientIdColumnSql(table, false));
  // From here on a locked database fails at once and `whenUnlocked` waits on timers instead.
  db.pragma('busy_timeout = 0');
  const setCloudId = db.prepare(setCloudIdSql(table));
  const setOauthClientId = db.prepare(setOauthClientIdSql(table));
  const selectByCloudId = db.prepare<[Record<string, unknown>], CloudIdRow>(selectClientKeyByCloudIdSql(table));
  const setInstallation = db.prepare(setInstallationFromPayloadSql(table));
  const linkInstallation = db.prepare(linkInstallationFromFitSql(table));
  const selectByInstallation = db.prepare<[Record<string, unknown>], CloudIdRow>(
    selectClientKeyByInstallationSql(table),
  );
  const select = db.prepare<[Record<string, unknown>], TenantRow>(selectSql(table));
  const selectGeneration = db.prepare<[Record<string, unknown>], GenerationRow>(selectGenerationSql(table));
  const selectEventIat = db.prepare<[Record<string, unknown>], EventIatRow>(selectEventIatSql(table, false));
  const selectSecret = db.prepare<[Record<string, unknown>], SecretRow>(selectSecretSql(table));
  const updateSecret = db.prepare(updateSecretSql(table));
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
  const watermark = new SecretGenerationWatermark();
  const toTenant = (row: TenantRow) => rowToTenant(row, box, watermark);
  /** The tenant with its site and installation link, from a full row. */
  const tenantOf = (row: TenantRow) =>
    withOauthClientId(withInstallationLink(withCloudId(toTenant(row), row), row), row);

  const applyInTransaction = db.transaction((change: LifecycleChange, now: string) => {
    if (change.token) {
      purgeTokens.run({ now: Math.floor(Date.now() / 1000) });
      const recorded = insertToken.get({ ...change.token });
      if (!recorded) {
        const seen = selectToken.get({ tokenHash: change.token.tokenHash });
        return { row: undefined, current: select.get({ clientKey: change.clientKey }), replayedBody: seen?.body_hash };
      }
    }
    // Read in the write's transaction, so no other write of this tenant's secret can take the same generation.
    const generation =
      change.sharedSecret === undefined
        ? UNGENERATED
        : nextGeneration(selectGeneration.get({ clientKey: change.clientKey }));
    const before = selectEventIat.get({ clientKey: change.clientKey });
    const row = prepared(statementFor(change, table)).get(changeParams(change, box, now, generation));
    const movesLinks = row !== undefined && changeMovesLinks(before, change);
    if (movesLinks && change.cloudId !== undefined) {
      setCloudId.run({ clientKey: change.clientKey, cloudId: change.cloudId });
    }
    if (movesLinks && setsInstallation(change)) setInstallation.run(installationParams(change));
    // The OAuth client id moves with the links: only the first event or a newer one names it.
    if (movesLinks && change.oauthClientId !== undefined) {
      setOauthClientId.run({ clientKey: change.clientKey, oauthClientId: change.oauthClientId });
    }
    // The tenant as it now stands: applied, with the site and installation link just written, or as it was.
    const current = select.get({ clientKey: change.clientKey });
    return { row, current, replayedBody: undefined };
  });
  /** Re-reads the record under the write lock: a reinstall since the listing already wrote the newest format. */
  const reencryptOne = db.transaction((clientKey: string): number => {
    const current = selectSecret.get({ clientKey });
    if (!current || box.isCurrent(current.shared_secret)) return 0;
    const generation = Number(current.secret_generation);
    // Checked before decrypting: re-encrypting a rolled-back record would give it a fresh, valid generation.
    watermark.observe(clientKey, generation);
    const plaintext = box.decrypt(current.shared_secret, clientKey, generation);
    const newGeneration = generation + 1;
    const result = updateSecret.run({
      clientKey,
      oldSecret: current.shared_secret,
      oldGeneration: generation,
      newSecret: box.encrypt(plaintext, clientKey, newGeneration),
      newGeneration,
    });
    if (result.changes > 0) watermark.observe(clientKey, newGeneration);
    return result.changes;
  });
  /**
   * Runs a synchronous database call; while another connection holds the lock, tries again on timers (2 ms
   * doubling to 25 ms) for up to `busyTimeoutMs`, then answers STORE_UNAVAILABLE. A failed attempt changed
   * nothing: a transaction that cannot take the lock never began, and one that fails inside is rolled back.
   */
  async function whenUnlocked<Result>(operation: () => Result): Promise<Result> {
    const giveUpAt = Date.now() + busyTimeoutMs;
    let delayMs = FIRST_RETRY_DELAY_MS;
    for (;;) {
      try {
        return operation();
      } catch (cause) {
        if (!isLocked(cause) || Date.now() + delayMs > giveUpAt) throw unavailable(cause);
      }
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
    }
  }
  // In-process only: several directories over this one store object hear each other's writes. Other processes
  // on the same file are not told; their caches rely on the TTL.
  const feed = new ChangeFeed();

  return {
    async get(clientKey: string): Promise<Tenant | undefined> {
      const row = await whenUnlocked(() => select.get({ clientKey }));
      return row ? tenantOf(row) : undefined;
    },
    async findClientKeyByInstallationId(installationId: string): Promise<string | undefined> {
      const row = await whenUnlocked(() => selectByInstallation.get({ installationId }));
      return row?.client_key;
    },
    async linkForgeInstallation(link: { clientKey: string; cloudId: string; installationId: string }) {
      const result = await whenUnlocked(() => linkInstallation.run({ ...link }));
      if (result.changes > 0) feed.emit({ type: 'changed', clientKey: link.clientKey });
      return result.changes > 0;
    },
    async findClientKeyByCloudId(cloudId: string): Promise<string | undefined> {
      const row = await whenUnlocked(() => selectByCloudId.get({ cloudId }));
      return row?.client_key;
    },
    async applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult> {
      // IMMEDIATE: the write lock is taken first, so two processes on one file record a token one after the other.
      const { row, current, replayedBody } = await whenUnlocked(() =>
        applyInTransaction.immediate(change, new Date().toISOString()),
      );
      if (replayedBody !== undefined) {
        if (replayedBody !== change.token?.bodyHash) throw tokenReplayed();
        return { applied: false, replayed: true, tenant: current ? toTenant(current) : undefined };
      }
      if (row) {
        feed.emit({ type: 'changed', clientKey: change.clientKey });
        return { applied: true, tenant: current ? tenantOf(current) : toTenant(row) };
      }
      return { applied: false, tenant: current ? toTenant(current) : undefined };
    },
    async subscribe(onChange: (change: TenantChange) => void): Promise<() => Promise<void>> {
      const remove = feed.add(onChange);
      return async () => {
        remove();
      };
    },
    async reencryptSecrets(): Promise<number> {
      const rows = await whenUnlocked(() => db.prepare<[], SecretRow>(selectAllSecretsSql(table)).all());
      let rewritten = 0;
      for (const row of rows) {
        if (box.isCurrent(row.shared_secret)) continue;
        rewritten += await whenUnlocked(() => reencryptOne.immediate(row.client_key));
      }
      return rewritten;
    },
    async close() {
      feed.clear();
      watermark.clear();
      db.close();
    },
  };
}
