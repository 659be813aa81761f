/**
 * Secret generations: every write of a tenant's secret (install, reinstall, re-encryption) raises a generation that
 * is stored with the record and bound into the AES-GCM associated data, so a table writer cannot roll a tenant back
 * to an older ciphertext of the same clientKey. Runs against a real SQLite file and a real PostgreSQL.
 */
import Database from 'better-sqlite3';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  VerificationError,
  createSecretBox,
  openTenantStore,
  secretKeyId,
  verifyRequest,
  type SecretBox,
  type TenantStore,
} from '../../src/server/index.js';
import { SecretGenerationWatermark } from '../../src/server/tenants/secret-generation.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { mintSymmetric } from './helpers/tokens.js';

const pgUrl = await resolvePostgresUrl();
const KEY = randomBytes(32);
const box = createSecretBox(KEY);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const FIRST_SECRET = 'first-secret-0123456789abcdefghij';
const SECOND_SECRET = 'second-secret-0123456789abcdefghi';
const BASE_URL = 'https://gen.atlassian.net/wiki';
const install = (clientKey: string, iat: number, sharedSecret: string) => ({
  clientKey,
  eventType: 'installed' as const,
  iat,
  baseUrl: BASE_URL,
  sharedSecret,
});

interface RawRecord {
  shared_secret: string;
  secret_generation: number;
}

/** The columns a table writer controls: read and overwrite them directly, as an attacker with write access could. */
interface Backend {
  name: string;
  open(secretBox?: SecretBox): Promise<TenantStore>;
  read(clientKey: string): Promise<RawRecord>;
  /** overwrites the record's ciphertext, and its generation when given */
  write(clientKey: string, record: { shared_secret: string; secret_generation?: number }): Promise<void>;
  deleteRow(clientKey: string): Promise<void>;
  /** creates the table as it was before generations existed, with one v2 record in it */
  createLegacyTable(clientKey: string, v2Record: string): Promise<void>;
  cleanup(): Promise<void>;
}

const LEGACY_COLUMNS = `client_key TEXT PRIMARY KEY, base_url TEXT NOT NULL, shared_secret TEXT NOT NULL,
  state TEXT NOT NULL, product_type TEXT, description TEXT, last_event_iat BIGINT NOT NULL,
  last_event_rank INTEGER NOT NULL, installed_at TEXT NOT NULL, updated_at TEXT NOT NULL`;
const LEGACY_ROW = `(client_key, base_url, shared_secret, state, last_event_iat, last_event_rank, installed_at, updated_at)`;

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'cik-generation-'));
  dirs.push(dir);
  const file = join(dir, 'tenants.db');
  const withDb = <T>(run: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return run(db);
    } finally {
      db.close();
    }
  };
  return {
    name: 'SQLite file',
    open: (secretBox = box) => openTenantStore(`sqlite:${file}`, secretBox),
    async read(clientKey) {
      return withDb(
        (db) =>
          db
            .prepare('SELECT shared_secret, secret_generation FROM cik_tenants WHERE client_key = ?')
            .get(clientKey) as RawRecord,
      );
    },
    async write(clientKey, record) {
      withDb((db) => {
        db.prepare('UPDATE cik_tenants SET shared_secret = ? WHERE client_key = ?').run(
          record.shared_secret,
          clientKey,
        );
        if (record.secret_generation !== undefined) {
          db.prepare('UPDATE cik_tenants SET secret_generation = ? WHERE client_key = ?').run(
            record.secret_generation,
            clientKey,
          );
        }
      });
    },
    async deleteRow(clientKey) {
      withDb((db) => db.prepare('DELETE FROM cik_tenants WHERE client_key = ?').run(clientKey));
    },
    async createLegacyTable(clientKey, v2Record) {
      withDb((db) => {
        db.exec(`CREATE TABLE cik_tenants (${LEGACY_COLUMNS})`);
        db.prepare(`INSERT INTO cik_tenants ${LEGACY_ROW} VALUES (?, ?, ?, 'installed', 1, 0, 'then', 'then')`).run(
          clientKey,
          BASE_URL,
          v2Record,
        );
      });
    },
    async cleanup() {},
  };
}

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
    open: (secretBox = box) => openTenantStore(url, secretBox, { table }),
    async read(clientKey) {
      const row = (
        await query(`SELECT shared_secret, secret_generation FROM ${table} WHERE client_key = $1`, [clientKey])
      ).rows[0] as { shared_secret: string; secret_generation: string };
      return { shared_secret: row.shared_secret, secret_generation: Number(row.secret_generation) };
    },
    async write(clientKey, record) {
      await query(`UPDATE ${table} SET shared_secret = $1 WHERE client_key = $2`, [record.shared_secret, clientKey]);
      if (record.secret_generation !== undefined) {
        await query(`UPDATE ${table} SET secret_generation = $1 WHERE client_key = $2`, [
          record.secret_generation,
          clientKey,
        ]);
      }
    },
    async deleteRow(clientKey) {
      await query(`DELETE FROM ${table} WHERE client_key = $1`, [clientKey]);
    },
    async createLegacyTable(clientKey, v2Record) {
      await query(`CREATE TABLE ${table} (${LEGACY_COLUMNS})`);
      await query(`INSERT INTO ${table} ${LEGACY_ROW} VALUES ($1, $2, $3, 'installed', 1, 0, 'then', 'then')`, [
        clientKey,
        BASE_URL,
        v2Record,
      ]);
    },
    cleanup: () => dropTable(url, table),
  };
}

/** A v2 record as the store wrote it before generations: AES-256-GCM with the bare clientKey as associated data. */
function v2Record(key: Buffer, clientKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(clientKey, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v2:${secretKeyId(key)}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

async function refusal(promise: Promise<unknown>): Promise<VerificationError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  // Never the old secret: the read must throw, not resolve.
  expect(outcome).not.toHaveProperty('value');
  const error = (outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).code).toBe('STORE_UNAVAILABLE');
  expect((error as VerificationError).status).toBe(503);
  return error as VerificationError;
}

const backends: Array<() => Backend> = [sqliteBackend];
if (pgUrl) backends.push(() => postgresBackend(pgUrl));

describe.each(backends.map((make) => [make().name, make] as const))('%s: secret generations', (_name, make) => {
  async function withBackend(run: (backend: Backend) => Promise<void>): Promise<void> {
    const backend = make();
    try {
      await run(backend);
    } finally {
      await backend.cleanup();
    }
  }

  it('every write of the secret raises the generation; state changes and stale installs do not', () =>
    withBackend(async (backend) => {
      const oldKey = randomBytes(32);
      const store = await backend.open(createSecretBox(oldKey));
      const before = Date.now();
      await store.applyLifecycleEvent(install('gen', 10, FIRST_SECRET));
      // A tenant's first record starts at the current time in ms (see the hard-delete test below), then counts up.
      const first = (await backend.read('gen')).secret_generation;
      expect(first).toBeGreaterThanOrEqual(before);
      expect(first).toBeLessThanOrEqual(Date.now());
      await store.applyLifecycleEvent(install('gen', 20, SECOND_SECRET));
      expect((await backend.read('gen')).secret_generation).toBe(first + 1);
      await store.applyLifecycleEvent({ clientKey: 'gen', eventType: 'disabled', iat: 30, baseUrl: BASE_URL });
      await store.applyLifecycleEvent(install('gen', 5, 'stale-secret-0123456789abcdefghi'));
      expect((await backend.read('gen')).secret_generation).toBe(first + 1);
      await store.close();

      const rotated = await backend.open(createSecretBox([randomBytes(32), oldKey]));
      try {
        expect(await rotated.reencryptSecrets!()).toBe(1);
        expect((await backend.read('gen')).secret_generation).toBe(first + 2);
        expect(await rotated.get('gen')).toMatchObject({ sharedSecret: SECOND_SECRET, state: 'disabled' });
      } finally {
        await rotated.close();
      }
    }));

  it('parallel installs of a tenant not seen yet: every applied write takes its own generation', () =>
    withBackend(async (backend) => {
      const store = await backend.open();
      try {
        // Connections opened first, so the writes below really overlap.
        await Promise.all(Array.from({ length: 10 }, () => store.get('race')));
        const race = (iatBase: number) =>
          Promise.all(
            Array.from({ length: 12 }, (_, index) =>
              store.applyLifecycleEvent(install('race', iatBase + index, `race-secret-${index}-0123456789abcdefgh`)),
            ),
          );
        // Not seen yet: the racing first inserts must not fail, and the record that wins reads.
        await race(100);
        expect(await store.get('race')).toMatchObject({ sharedSecret: 'race-secret-11-0123456789abcdefgh' });
        // Known: every applied reinstall counts exactly one up.
        const start = (await backend.read('race')).secret_generation;
        const applied = (await race(200)).filter((result) => result.applied).length;
        expect(applied).toBeGreaterThan(0);
        expect((await backend.read('race')).secret_generation).toBe(start + applied);
        expect(await store.get('race')).toMatchObject({ sharedSecret: 'race-secret-11-0123456789abcdefgh' });
      } finally {
        await store.close();
      }
    }));

  it('an older ciphertext of the same tenant copied back over the current one does not decrypt: 503, never the old secret', () =>
    withBackend(async (backend) => {
      const store = await backend.open();
      await store.applyLifecycleEvent(install('rollback', 10, FIRST_SECRET));
      const leaked = await backend.read('rollback');
      await store.applyLifecycleEvent(install('rollback', 20, SECOND_SECRET));
      await backend.write('rollback', { shared_secret: leaked.shared_secret });
      await refusal(store.get('rollback'));
      await store.close();
      // Not a memory of this process: a store opened afresh refuses it too (the row's generation is 2).
      const fresh = await backend.open(createSecretBox([randomBytes(32), KEY]));
      try {
        await refusal(fresh.get('rollback'));
        // Re-encryption under a new key does not launder it into a valid record either.
        await refusal(fresh.reencryptSecrets!());
      } finally {
        await fresh.close();
      }
    }));

  it('a whole record (ciphertext and its generation) copied back: refused by every store that saw the newer one, also through verifyRequest (as an unknown issuer)', () =>
    withBackend(async (backend) => {
      const store = await backend.open();
      const directory = new TenantDirectory(store);
      try {
        await directory.applyLifecycleEvent(install('whole', 10, FIRST_SECRET));
        const leaked = await backend.read('whole');
        await directory.applyLifecycleEvent(install('whole', 20, SECOND_SECRET));
        await backend.write('whole', leaked);
        // The generation is authenticated: relabelling the old ciphertext with the current generation fails too.
        await backend.write('whole', {
          shared_secret: leaked.shared_secret,
          secret_generation: leaked.secret_generation + 1,
        });
        await refusal(store.get('whole'));
        await backend.write('whole', leaked);
        await refusal(store.get('whole'));

        const token = await mintSymmetric({ clientKey: 'whole', sharedSecret: FIRST_SECRET, qsh: 'context', sub: 'u' });
        const request = new Request('https://app.example.com/api/verify', {
          headers: { authorization: `JWT ${token}` },
        });
        directory.invalidate('whole');
        // Through verifyRequest the refusal is the one an unknown issuer gets (no oracle); the store's detail is the cause.
        const refused = await verifyRequest(request, { mode: 'context', tenants: directory }).then(
          () => undefined,
          (error: unknown) => error as VerificationError,
        );
        expect([refused?.code, refused?.status]).toEqual(['SIGNATURE_INVALID', 401]);
        expect((refused?.cause as VerificationError).code).toBe('STORE_UNAVAILABLE');
      } finally {
        await directory.close();
        await store.close();
      }
    }));

  it('a tenant whose row was deleted installs again with a higher generation: the store that saw the old one takes it', () =>
    withBackend(async (backend) => {
      const store = await backend.open();
      try {
        await store.applyLifecycleEvent(install('deleted', 10, FIRST_SECRET));
        await store.applyLifecycleEvent(install('deleted', 20, SECOND_SECRET));
        const old = (await backend.read('deleted')).secret_generation;
        await backend.deleteRow('deleted');
        await new Promise((resolve) => setTimeout(resolve, 2));
        expect(await store.applyLifecycleEvent(install('deleted', 30, FIRST_SECRET))).toMatchObject({
          applied: true,
          tenant: { sharedSecret: FIRST_SECRET },
        });
        expect((await backend.read('deleted')).secret_generation).toBeGreaterThan(old);
        expect(await store.get('deleted')).toMatchObject({ sharedSecret: FIRST_SECRET });
      } finally {
        await store.close();
      }
    }));

  it('re-encryption under a new key refuses a whole record copied back after this store saw the newer one', () =>
    withBackend(async (backend) => {
      const writer = await backend.open();
      const rotating = await backend.open(createSecretBox([randomBytes(32), KEY]));
      try {
        await writer.applyLifecycleEvent(install('launder', 10, FIRST_SECRET));
        const leaked = await backend.read('launder');
        await writer.applyLifecycleEvent(install('launder', 20, SECOND_SECRET));
        expect(await rotating.get('launder')).toMatchObject({ sharedSecret: SECOND_SECRET });
        await backend.write('launder', leaked);
        // Re-encrypting it would give the rolled-back secret a fresh, valid generation.
        await refusal(rotating.reencryptSecrets!());
        expect(await backend.read('launder')).toEqual(leaked);
      } finally {
        await rotating.close();
        await writer.close();
      }
    }));

  it('v2 records from before generations: the table gains the column, they read, reencryptSecrets upgrades them, and the old v2 record copied back no longer reads', () =>
    withBackend(async (backend) => {
      const legacy = v2Record(KEY, 'legacy', FIRST_SECRET);
      await backend.createLegacyTable('legacy', legacy);
      const store = await backend.open();
      try {
        expect(await backend.read('legacy')).toEqual({ shared_secret: legacy, secret_generation: 0 });
        expect(await store.get('legacy')).toMatchObject({ sharedSecret: FIRST_SECRET, state: 'installed' });
        expect(await store.reencryptSecrets!()).toBe(1);
        expect(await store.reencryptSecrets!()).toBe(0);
        const upgraded = await backend.read('legacy');
        expect(upgraded.secret_generation).toBe(1);
        expect(upgraded.shared_secret).toMatch(new RegExp(`^v3:${secretKeyId(KEY)}:`));
        expect(await store.get('legacy')).toMatchObject({ sharedSecret: FIRST_SECRET });

        await backend.write('legacy', { shared_secret: legacy });
        await refusal(store.get('legacy'));
        const fresh = await backend.open();
        await refusal(fresh.get('legacy'));
        await fresh.close();
      } finally {
        await store.close();
      }
    }));
});

it('the generation is part of the associated data: the same ciphertext under another generation or clientKey does not decrypt', () => {
  const sealed = box.encrypt(FIRST_SECRET, 'ck', 7);
  expect(box.decrypt(sealed, 'ck', 7)).toBe(FIRST_SECRET);
  for (const [clientKey, generation] of [
    ['ck', 6],
    ['ck', 8],
    ['ck', 0],
    ['other', 7],
  ] as const) {
    expect(() => box.decrypt(sealed, clientKey, generation)).toThrow(VerificationError);
  }
  // A record from before generations reads only from a row that has none.
  const legacy = v2Record(KEY, 'ck', FIRST_SECRET);
  expect(box.decrypt(legacy, 'ck', 0)).toBe(FIRST_SECRET);
  expect(() => box.decrypt(legacy, 'ck', 1)).toThrow(VerificationError);
  expect(() => box.encrypt(FIRST_SECRET, 'ck', 0)).toThrow(/generation/);
});

it('the generation watermark is bounded: the least recently seen tenant is forgotten first', () => {
  const watermark = new SecretGenerationWatermark(2);
  watermark.observe('a', 5);
  watermark.observe('b', 5);
  watermark.observe('a', 6); // a is now the most recently seen
  watermark.observe('c', 1); // full: b goes
  expect(watermark.size).toBe(2);
  expect(watermark.isBehind('a', 5)).toBe(true);
  expect(watermark.isBehind('b', 1)).toBe(false);
  expect(() => watermark.observe('a', 4)).toThrow(VerificationError);
  expect(() => watermark.observe('c', 0)).toThrow(/rolled back/);
  // A refused generation does not lower what was seen.
  expect(watermark.isBehind('a', 5)).toBe(true);
});
