import pg from 'pg';
import { VerificationError } from '../errors.js';
import type { SecretBox } from './secret-box.js';
import {
  assertTableName,
  changeParams,
  createTableSql,
  rowToTenant,
  selectSql,
  statementFor,
  type TenantRow,
} from './sql.js';
import type { LifecycleChange, LifecycleResult, Tenant, TenantStore } from './types.js';

export interface PostgresTenantStoreOptions {
  connectionString: string;
  secretBox: SecretBox;
  table?: string;
  /** connect and statement timeout, ms (default 5000): an unreachable database answers 503, never hangs */
  timeoutMs?: number;
  max?: number;
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
  return new VerificationError('STORE_UNAVAILABLE', 'The tenant store (PostgreSQL) is unavailable; retry later.', { cause });
}

/** For several app instances sharing one database. Creates its table on first use. */
export async function createPostgresTenantStore(options: PostgresTenantStoreOptions): Promise<TenantStore> {
  const table = assertTableName(options.table ?? 'cik_tenants');
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

  async function query(sql: string, params: Record<string, unknown>): Promise<TenantRow | undefined> {
    const { text, values } = toPositional(sql, params);
    try {
      const result = await pool.query<TenantRow>(text, values);
      return result.rows[0];
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  try {
    await pool.query(createTableSql(table, 'BIGINT'));
  } catch (cause) {
    await pool.end().catch(() => {});
    throw unavailable(cause);
  }

  return {
    async get(clientKey: string): Promise<Tenant | undefined> {
      const row = await query(selectSql(table), { clientKey });
      return row ? rowToTenant(row, box) : undefined;
    },
    async applyLifecycleEvent(change: LifecycleChange): Promise<LifecycleResult> {
      const params = changeParams(change, box, new Date().toISOString());
      const row = await query(statementFor(change, table), params);
      if (row) return { applied: true, tenant: rowToTenant(row, box) };
      const current = await query(selectSql(table), { clientKey: change.clientKey });
      return { applied: false, tenant: current ? rowToTenant(current, box) : undefined };
    },
    async close() {
      await pool.end();
    },
  };
}
