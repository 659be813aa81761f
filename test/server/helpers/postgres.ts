import pg from 'pg';
import { tokenTableOf } from '../../../src/server/tenants/sql.js';

const DEFAULT_LOCAL_URL = 'postgres://cik:cik@127.0.0.1:5432/cik_test';

/**
 * The PostgreSQL the store tests run against: TEST_DATABASE_URL (CI sets it), else the local cluster .ci/run
 * creates. Unreachable: in CI (or with TEST_DATABASE_URL set) that is a failure; locally the suite is skipped
 * with a loud hint.
 */
export async function resolvePostgresUrl(): Promise<string | undefined> {
  const configured = process.env.TEST_DATABASE_URL;
  const url = configured ?? DEFAULT_LOCAL_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    if (process.env.CI || configured) {
      throw new Error(`PostgreSQL is required for the store tests but ${url} is unreachable: ${String(error)}`, {
        cause: error,
      });
    }
    console.warn(
      '\n!!! PostgreSQL tests SKIPPED: no database at ' +
        url +
        '.\n!!! Install and start one (apt-get install -y postgresql), create role/db as .ci/run does, or set TEST_DATABASE_URL.\n',
    );
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

export function uniqueTable(prefix = 'cik_tenants_t'): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropTable(url: string, table: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(`DROP TABLE IF EXISTS ${tokenTableOf(table)}`);
  } finally {
    await client.end();
  }
}
