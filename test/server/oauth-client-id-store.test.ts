/**
 * The install payload's `oauthClientId` is stored with the tenant (what acting as a user signs as), on SQLite and
 * PostgreSQL, including tables created before the column existed (added on open, as the other newer columns are).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openTenantStore, type TenantStore } from '../../src/server/index.js';
import { createTableSql } from '../../src/server/tenants/sql.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { secretBox } from './helpers/tenant-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'cik-oauth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pgUrl = await resolvePostgresUrl();

interface Backend {
  name: string;
  /** a store on a table created as releases before the column created it */
  openLegacy(): Promise<{ store: TenantStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async openLegacy() {
      const file = join(dir, `${Math.random().toString(36).slice(2)}.db`);
      const db = new Database(file);
      db.exec(createTableSql('cik_tenants', 'INTEGER'));
      db.close();
      return { store: await openTenantStore(`sqlite:${file}`, secretBox), cleanup: async () => {} };
    },
  },
];
if (pgUrl) {
  backends.push({
    name: 'PostgreSQL',
    async openLegacy() {
      const table = uniqueTable();
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(createTableSql(table, 'BIGINT'));
      await client.end();
      return { store: await openTenantStore(pgUrl, secretBox, { table }), cleanup: () => dropTable(pgUrl, table) };
    },
  });
}

describe.each(backends)('$name', (backend) => {
  it('adds the column to an older table and keeps the client id across state changes', async () => {
    const { store, cleanup } = await backend.openLegacy();
    const tenant = { clientKey: 'ck-oauth', baseUrl: 'https://x.atlassian.net/wiki', sharedSecret: 's'.repeat(32) };
    const installed = await store.applyLifecycleEvent({
      ...tenant,
      eventType: 'installed',
      iat: 10,
      oauthClientId: 'client-id-1',
    });
    expect(installed.tenant?.oauthClientId).toBe('client-id-1');
    await store.applyLifecycleEvent({
      clientKey: tenant.clientKey,
      baseUrl: tenant.baseUrl,
      eventType: 'disabled',
      iat: 11,
    });
    expect((await store.get(tenant.clientKey))?.oauthClientId).toBe('client-id-1');
    await store.applyLifecycleEvent({ ...tenant, eventType: 'installed', iat: 12, oauthClientId: 'client-id-2' });
    expect((await store.get(tenant.clientKey))?.oauthClientId).toBe('client-id-2');
    await store.close();
    await cleanup();
  });
});
