import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  TenantDirectory,
  VerificationError,
  createSecretBox,
  loadSecretKey,
  openTenantStore,
  parseSecretKey,
  type TenantStore,
} from '../../src/server/index.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { secretBox } from './helpers/tenant-fixture.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cik-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'plaintext-shared-secret-1234567890';
const install = (clientKey: string, iat = 10, sharedSecret = SECRET) => ({
  clientKey,
  eventType: 'installed' as const,
  iat,
  baseUrl: 'https://t.atlassian.net/wiki',
  sharedSecret,
  productType: 'confluence',
});

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).code).toBe(code);
  expect((error as VerificationError).status).toBe(503);
}

interface Backend {
  name: string;
  open(box?: typeof secretBox): Promise<TenantStore>;
  /** the raw stored shared_secret column */
  rawSecret(clientKey: string): Promise<string>;
  /** copies one row's ciphertext onto another row */
  swapCiphertext(from: string, to: string): Promise<void>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const file = join(tempDir(), 'tenants.db');
  return {
    name: 'SQLite file',
    open: (box = secretBox) => openTenantStore(`sqlite:${file}`, box),
    async rawSecret(clientKey) {
      const db = new Database(file, { readonly: true });
      try {
        return (
          db.prepare('SELECT shared_secret FROM cik_tenants WHERE client_key = ?').get(clientKey) as {
            shared_secret: string;
          }
        ).shared_secret;
      } finally {
        db.close();
      }
    },
    async swapCiphertext(from, to) {
      const db = new Database(file);
      db.prepare(
        'UPDATE cik_tenants SET shared_secret = (SELECT shared_secret FROM cik_tenants WHERE client_key = ?) WHERE client_key = ?',
      ).run(from, to);
      db.close();
    },
    async cleanup() {},
  };
}

const pgUrl = await resolvePostgresUrl();

function postgresBackend(url: string): Backend {
  const table = uniqueTable();
  const query = async (sql: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await client.query(sql, values);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'PostgreSQL',
    open: (box = secretBox) => openTenantStore(url, box, { table }),
    async rawSecret(clientKey) {
      return (await query(`SELECT shared_secret FROM ${table} WHERE client_key = $1`, [clientKey])).rows[0]
        .shared_secret;
    },
    async swapCiphertext(from, to) {
      await query(
        `UPDATE ${table} SET shared_secret = (SELECT shared_secret FROM ${table} WHERE client_key = $1) WHERE client_key = $2`,
        [from, to],
      );
    },
    cleanup: () => dropTable(url, table),
  };
}

const backends: Array<() => Backend> = [sqliteBackend];
if (pgUrl) backends.push(() => postgresBackend(pgUrl));

describe.each(backends.map((make) => [make().name, make] as const))('%s tenant store', (_name, make) => {
  /** a fresh store on a fresh backend, closed and cleaned up after `run` */
  async function withStore(run: (store: TenantStore, backend: Backend) => Promise<void>): Promise<void> {
    const backend = make();
    const store = await backend.open();
    try {
      await run(store, backend);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  }

  it('stores secrets encrypted (AES-256-GCM) and reads them back', () =>
    withStore(async (store, backend) => {
      const result = await store.applyLifecycleEvent(install('tenant-a'));
      expect(result.applied).toBe(true);
      expect(result.tenant).toMatchObject({
        clientKey: 'tenant-a',
        sharedSecret: SECRET,
        state: 'installed',
        productType: 'confluence',
      });
      const raw = await backend.rawSecret('tenant-a');
      expect(raw).not.toContain(SECRET);
      // v3:<key id>:… — the id of the key that encrypted it (see secret-rotation.test.ts)
      expect(raw).toMatch(/^v3:[0-9a-f]{8}:/);
      expect((await store.get('tenant-a'))?.sharedSecret).toBe(SECRET);
      expect(await store.get('nobody')).toBeUndefined();
    }));

  it('a ciphertext moved to another tenant, or a changed key, does not decrypt → 503 STORE_UNAVAILABLE', () =>
    withStore(async (store, backend) => {
      await store.applyLifecycleEvent(install('tenant-a'));
      await store.applyLifecycleEvent(install('tenant-b', 10, 'other-secret-0123456789abcdef'));
      await backend.swapCiphertext('tenant-a', 'tenant-b');
      await expectCode(store.get('tenant-b'), 'STORE_UNAVAILABLE');
      const wrongKey = await backend.open(createSecretBox(randomBytes(32)));
      await expectCode(wrongKey.get('tenant-a'), 'STORE_UNAVAILABLE');
      await wrongKey.close();
    }));

  it('applies lifecycle events in iat order: stale events are ignored; state events keep the secret', () =>
    withStore(async (store) => {
      await store.applyLifecycleEvent(install('t', 100));
      const stale = await store.applyLifecycleEvent(install('t', 99, 'stale-secret-0123456789abcdef'));
      expect(stale.applied).toBe(false);
      expect(stale.tenant?.sharedSecret).toBe(SECRET);
      const disabled = await store.applyLifecycleEvent({
        clientKey: 't',
        eventType: 'disabled',
        iat: 101,
        baseUrl: 'https://other',
      });
      expect(disabled).toMatchObject({
        applied: true,
        tenant: { state: 'disabled', sharedSecret: SECRET, baseUrl: 'https://t.atlassian.net/wiki' },
      });
      const sameSecondUninstall = await store.applyLifecycleEvent({
        clientKey: 't',
        eventType: 'uninstalled',
        iat: 101,
        baseUrl: 'x',
      });
      expect(sameSecondUninstall.applied).toBe(true);
      const sameSecondEnable = await store.applyLifecycleEvent({
        clientKey: 't',
        eventType: 'enabled',
        iat: 101,
        baseUrl: 'x',
      });
      expect(sameSecondEnable).toMatchObject({ applied: false, tenant: { state: 'uninstalled' } });
      const unknown = await store.applyLifecycleEvent({
        clientKey: 'ghost',
        eventType: 'disabled',
        iat: 1,
        baseUrl: 'x',
      });
      expect(unknown).toEqual({ applied: false, tenant: undefined });
    }));

  it('parallel lifecycle writes for one tenant end in the state of the newest event', () =>
    withStore(async (store) => {
      await store.applyLifecycleEvent(install('p', 1));
      const events = Array.from({ length: 20 }, (_, i) => ({
        clientKey: 'p',
        eventType: (i % 2 ? 'disabled' : 'enabled') as 'disabled' | 'enabled',
        iat: 10 + i,
        baseUrl: 'x',
      }));
      await Promise.all(events.sort(() => Math.random() - 0.5).map((event) => store.applyLifecycleEvent(event)));
      expect(await store.get('p')).toMatchObject({ state: 'disabled', lastEventIat: 29, sharedSecret: SECRET });
    }));
});

describe('store unavailable → 503, never a partial write', () => {
  it('SQLite locked by another writer: STORE_UNAVAILABLE, then the old data is intact', async () => {
    const file = join(tempDir(), 'locked.db');
    const store = await openTenantStore(`sqlite:${file}`, secretBox, { busyTimeoutMs: 100 });
    await store.applyLifecycleEvent(install('locked'));
    const blocker = new Database(file);
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      await expectCode(
        store.applyLifecycleEvent(install('locked', 20, 'new-secret-0123456789abcdefgh')),
        'STORE_UNAVAILABLE',
      );
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(await store.get('locked')).toMatchObject({ sharedSecret: SECRET, lastEventIat: 10 });
    await store.close();
  });

  it('PostgreSQL unreachable at start: STORE_UNAVAILABLE', async () => {
    await expectCode(
      openTenantStore('postgres://cik:cik@127.0.0.1:9/none', secretBox, { timeoutMs: 500 }),
      'STORE_UNAVAILABLE',
    );
  });

  it.skipIf(!pgUrl)(
    'PostgreSQL row locked past the statement timeout: STORE_UNAVAILABLE, old data intact',
    async () => {
      const table = uniqueTable();
      // Only the contended write runs with the short timeout; setup and the final read must not trip it on a busy machine.
      const store = await openTenantStore(pgUrl!, secretBox, { table });
      const impatient = await openTenantStore(pgUrl!, secretBox, { table, timeoutMs: 300 });
      await store.applyLifecycleEvent(install('pg-locked'));
      const blocker = new pg.Client({ connectionString: pgUrl! });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`SELECT * FROM ${table} WHERE client_key = 'pg-locked' FOR UPDATE`);
        await expectCode(
          impatient.applyLifecycleEvent(install('pg-locked', 20, 'new-secret-0123456789abcdefgh')),
          'STORE_UNAVAILABLE',
        );
        await blocker.query('ROLLBACK');
        expect(await store.get('pg-locked')).toMatchObject({ sharedSecret: SECRET, lastEventIat: 10 });
      } finally {
        await blocker.end();
        await impatient.close();
        await store.close();
        await dropTable(pgUrl!, table);
      }
    },
  );
});

describe('TenantDirectory cache', () => {
  it('serves repeated lookups from memory and drops the entry on reinstall and uninstall', async () => {
    const store = await openTenantStore('sqlite::memory:', secretBox);
    const get = vi.spyOn(store, 'get');
    const directory = new TenantDirectory(store);
    await directory.applyLifecycleEvent(install('c', 1));
    expect((await directory.resolve('c'))?.tenant.sharedSecret).toBe(SECRET);
    await directory.resolve('c');
    await directory.resolve('c');
    expect(get).toHaveBeenCalledTimes(1);
    await directory.applyLifecycleEvent(install('c', 2, 'rotated-secret-0123456789abcd'));
    expect((await directory.resolve('c'))?.tenant.sharedSecret).toBe('rotated-secret-0123456789abcd');
    await directory.applyLifecycleEvent({ clientKey: 'c', eventType: 'uninstalled', iat: 3, baseUrl: 'x' });
    expect((await directory.resolve('c'))?.tenant.state).toBe('uninstalled');
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('expires entries after the TTL (other instances may have changed the tenant)', async () => {
    let clock = 0;
    const store = await openTenantStore('sqlite::memory:', secretBox);
    const get = vi.spyOn(store, 'get');
    const directory = new TenantDirectory(store, { ttlMs: 1000, now: () => clock });
    await store.applyLifecycleEvent(install('c', 1));
    await directory.resolve('c');
    clock = 999;
    await directory.resolve('c');
    clock = 1001;
    await directory.resolve('c');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('is bounded by maxEntries, and reloading an expired tenant never evicts another one', async () => {
    let clock = 0;
    const store = await openTenantStore('sqlite::memory:', secretBox);
    for (const clientKey of ['a', 'b', 'c']) await store.applyLifecycleEvent(install(clientKey, 1));
    const get = vi.spyOn(store, 'get');
    const directory = new TenantDirectory(store, { ttlMs: 10, maxEntries: 3, now: () => clock });
    const reads = (clientKey: string) => get.mock.calls.filter(([key]) => key === clientKey).length;
    await directory.resolve('a');
    clock = 1;
    await directory.resolve('b');
    clock = 11; // a expired: reloaded while there is room
    await directory.resolve('a');
    await directory.resolve('c'); // full now
    clock = 12; // b expired: its reload must not push out a (valid until 21) to make room for itself
    await directory.resolve('b');
    await directory.resolve('a');
    expect(reads('a')).toBe(2);
    clock = 13;
    // A new tenant when full: exactly one entry goes, the least recently loaded (a, reloaded at 11).
    await directory.resolve('d');
    for (const clientKey of ['b', 'c', 'd']) await directory.resolve(clientKey);
    expect([reads('b'), reads('c'), reads('d')]).toEqual([2, 1, 1]);
    await directory.resolve('a');
    expect(reads('a')).toBe(3);
  });

  it('does not remember unknown tenants or store failures', async () => {
    const store = await openTenantStore('sqlite::memory:', secretBox);
    const directory = new TenantDirectory(store);
    expect(await directory.resolve('later')).toBeUndefined();
    await store.applyLifecycleEvent(install('later', 1));
    expect((await directory.resolve('later'))?.tenant.clientKey).toBe('later');
  });
});

describe('TENANT_SECRET_KEY', () => {
  it('accepts 64 hex characters or base64 of 32 bytes, refuses anything else', () => {
    const key = randomBytes(32);
    expect(Buffer.from(parseSecretKey(key.toString('hex')))).toEqual(key);
    expect(Buffer.from(parseSecretKey(key.toString('base64')))).toEqual(key);
    expect(Buffer.from(parseSecretKey(key.toString('base64url')))).toEqual(key);
    for (const bad of [
      '',
      'abc',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'z'.repeat(64),
    ]) {
      expect(() => parseSecretKey(bad)).toThrow(/32 bytes/);
    }
  });

  it('production without a key refuses to start', () => {
    expect(() => loadSecretKey({ production: true, devKeyFile: join(tempDir(), 'k') })).toThrow(
      /required when NODE_ENV=production/,
    );
  });

  it('development generates a key file (0600) with a loud warning, and reuses it', () => {
    const file = join(tempDir(), 'data', 'tenant-secret.key');
    const warn = vi.fn();
    const first = loadSecretKey({ production: false, devKeyFile: file, warn });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('TENANT_SECRET_KEY is not set'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const second = loadSecretKey({ production: false, devKeyFile: file, warn });
    expect(Buffer.from(second)).toEqual(Buffer.from(first));
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
