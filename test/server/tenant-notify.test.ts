import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  TenantDirectory,
  VerificationError,
  openTenantStore,
  verifyRequest,
  type TenantChange,
  type TenantStore,
} from '../../src/server/index.js';
import { defaultChannel } from '../../src/server/tenants/postgres-store.js';
import { PgListener, listenerApplicationName } from '../../src/server/tenants/pg-listener.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { secretBox } from './helpers/tenant-fixture.js';
import { mintSymmetric } from './helpers/tokens.js';

const pgUrl = await resolvePostgresUrl();

/** Long enough that, without notifications, no test here could see another instance's change through the TTL. */
const ONE_HOUR = 3_600_000;
const SECRET = 'first-shared-secret-0123456789abcdef';
const ROTATED = 'rotated-shared-secret-0123456789abcd';
const BASE_URL = 'https://t.atlassian.net/wiki';

const install = (clientKey: string, iat: number, sharedSecret = SECRET) => ({
  clientKey,
  eventType: 'installed' as const,
  iat,
  baseUrl: BASE_URL,
  sharedSecret,
});

/** Polls until `ok` holds; a failure names the last value seen, not just "timed out". */
async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (error instanceof VerificationError) return error.code;
    throw error;
  }
}

async function contextRequest(clientKey: string, sharedSecret: string) {
  const token = await mintSymmetric({ clientKey, sharedSecret, qsh: 'context', sub: 'user-1' });
  return { method: 'GET', url: '/api/verify', headers: { authorization: `JWT ${token}` } };
}

async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: pgUrl! });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

const listenerPids = async (channel: string): Promise<number[]> =>
  (
    await sql('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [listenerApplicationName(channel)])
  ).rows.map((row: { pid: number }) => row.pid);

interface Instance {
  store: TenantStore;
  directory: TenantDirectory;
  /** what the store's subscribers hear, next to the directory */
  changes: TenantChange[];
  listenErrors: unknown[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoInstances(options: { channel?: string; listenA?: boolean } = {}) {
  const table = uniqueTable();
  const channel = options.channel ?? defaultChannel(table);
  cleanups.push(() => dropTable(pgUrl!, table));
  async function instance(listen: boolean): Promise<Instance> {
    const listenErrors: unknown[] = [];
    const store = await openTenantStore(pgUrl!, secretBox, {
      table,
      ...(options.channel ? { channel: options.channel } : {}),
      listenRetryMs: { min: 20, max: 200 },
      onListenError: (error) => listenErrors.push(error),
    });
    const directory = new TenantDirectory(store, { ttlMs: ONE_HOUR, listen });
    cleanups.push(async () => {
      await directory.close();
      await store.close();
    });
    const changes: TenantChange[] = [];
    if (listen) cleanups.push(await store.subscribe!((change) => changes.push(change)));
    await directory.ready();
    return { store, directory, changes, listenErrors };
  }
  const a = await instance(options.listenA ?? true);
  const b = await instance(true);
  return { a, b, table, channel };
}

/** Applies a change through A and waits until B's subscribers heard of it, so B's later cache fills are not evicted by it. */
async function seed(a: Instance, b: Instance, change: ReturnType<typeof install>): Promise<void> {
  const heard = () => b.changes.filter((c) => c.type === 'changed' && c.clientKey === change.clientKey).length;
  const before = heard();
  expect((await a.directory.applyLifecycleEvent(change)).applied).toBe(true);
  await eventually(
    async () => heard(),
    (n) => n > before,
  );
}

describe.skipIf(!pgUrl)('tenant cache invalidation across instances (PostgreSQL LISTEN/NOTIFY)', () => {
  it('an uninstall on instance A is refused by instance B at once, not after its (1 h) TTL', async () => {
    const { a, b } = await twoInstances();
    await seed(a, b, install('tenant-u', 10));
    const request = await contextRequest('tenant-u', SECRET);
    const get = vi.spyOn(b.store, 'get');
    expect(await outcome(verifyRequest(request, { mode: 'context', tenants: b.directory }))).toBe('accepted');
    expect(await outcome(verifyRequest(request, { mode: 'context', tenants: b.directory }))).toBe('accepted');
    expect(get).toHaveBeenCalledTimes(1); // B serves the tenant from its cache

    await a.directory.applyLifecycleEvent({
      clientKey: 'tenant-u',
      eventType: 'uninstalled',
      iat: 11,
      baseUrl: BASE_URL,
    });
    await eventually(
      () => outcome(verifyRequest(request, { mode: 'context', tenants: b.directory })),
      (code) => code === 'TENANT_INACTIVE',
    );
    expect(b.listenErrors).toEqual([]);
  });

  it('disable and re-enable (signed state events carrying the install payload) reach instance B', async () => {
    const { a, b } = await twoInstances();
    await seed(a, b, install('tenant-d', 10));
    const request = await contextRequest('tenant-d', SECRET);
    const verifyOnB = () => outcome(verifyRequest(request, { mode: 'context', tenants: b.directory }));
    expect(await verifyOnB()).toBe('accepted');
    await a.directory.applyLifecycleEvent({ ...install('tenant-d', 11), eventType: 'disabled' });
    await eventually(verifyOnB, (code) => code === 'TENANT_INACTIVE');
    await a.directory.applyLifecycleEvent({ ...install('tenant-d', 12), eventType: 'enabled' });
    await eventually(verifyOnB, (code) => code === 'accepted');
  });

  it('a secret rotated by a reinstall on A: B stops accepting the superseded secret at once', async () => {
    const { a, b } = await twoInstances();
    await seed(a, b, install('tenant-r', 10));
    const old = await contextRequest('tenant-r', SECRET);
    expect(await outcome(verifyRequest(old, { mode: 'context', tenants: b.directory }))).toBe('accepted');

    await a.directory.applyLifecycleEvent(install('tenant-r', 11, ROTATED));
    // The same token again: B has it remembered as signature-verified, which must not outlive the rotation either.
    await eventually(
      () => outcome(verifyRequest(old, { mode: 'context', tenants: b.directory })),
      (code) => code === 'SIGNATURE_INVALID',
    );
    const fresh = await contextRequest('tenant-r', ROTATED);
    expect(await outcome(verifyRequest(fresh, { mode: 'context', tenants: b.directory }))).toBe('accepted');
  });

  it('only applied writes are announced, after they commit; a stale event announces nothing', async () => {
    const { a, b } = await twoInstances({ listenA: false });
    await a.store.applyLifecycleEvent(install('tenant-s', 10));
    await eventually(
      async () => b.changes.filter((c) => c.type === 'changed').length,
      (n) => n === 1,
    );
    const stale = await a.store.applyLifecycleEvent(install('tenant-s', 9, ROTATED));
    expect(stale.applied).toBe(false);
    // A marker sent after the stale write: notifications from one session arrive in order.
    await a.store.applyLifecycleEvent(install('tenant-marker', 1));
    await eventually(
      async () => b.changes.length,
      (n) => n >= 3,
    );
    expect(b.changes).toEqual([
      { type: 'reset' },
      { type: 'changed', clientKey: 'tenant-s' },
      { type: 'changed', clientKey: 'tenant-marker' },
    ]);
  });

  it('a killed listener connection reconnects, clears the cache (changes may have been missed), and hears later changes', async () => {
    const { a, b, table, channel } = await twoInstances({ listenA: false });
    await seed(a, b, install('tenant-k', 10));
    const request = await contextRequest('tenant-k', SECRET);
    const verifyOnB = () => outcome(verifyRequest(request, { mode: 'context', tenants: b.directory }));
    expect(await verifyOnB()).toBe('accepted');

    const [before] = await listenerPids(channel);
    expect(before).toBeTypeOf('number');
    const terminated = await sql('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE pid = $1', [
      before,
    ]);
    expect(terminated.rows).toEqual([{ ok: true }]);
    // A change nobody announces stands for one whose notification was lost while B was not listening.
    await sql(`UPDATE ${table} SET state = 'uninstalled' WHERE client_key = $1`, ['tenant-k']);
    await eventually(verifyOnB, (code) => code === 'TENANT_INACTIVE');

    const after = await eventually(
      () => listenerPids(channel),
      (pids) => pids.length === 1,
    );
    expect(after[0]).not.toBe(before);
    expect(b.listenErrors.length).toBeGreaterThanOrEqual(1);
    expect(b.changes.filter((c) => c.type === 'reset').length).toBeGreaterThanOrEqual(2);

    await a.directory.applyLifecycleEvent(install('tenant-k', 20));
    await eventually(verifyOnB, (code) => code === 'accepted');
  });

  it('garbage on the channel is ignored; the listener stays up and real changes still arrive', async () => {
    const channel = `cik_notify_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const { a, b } = await twoInstances({ channel, listenA: false });
    await seed(a, b, install('tenant-g', 10));
    const request = await contextRequest('tenant-g', SECRET);
    const get = vi.spyOn(b.store, 'get');
    expect(await outcome(verifyRequest(request, { mode: 'context', tenants: b.directory }))).toBe('accepted');

    const garbage = ['', 'x'.repeat(7000), 'tenant-g\u0000', 'tenant-g\n', '\u0001', 'k'.repeat(256)];
    const client = new pg.Client({ connectionString: pgUrl! });
    await client.connect();
    try {
      for (const payload of garbage) {
        await client.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(() => {}); // NUL is refused by PostgreSQL itself
      }
      await client.query(`NOTIFY "${channel}"`); // no payload at all
      await client.query('SELECT pg_notify($1, $2)', [channel, 'unknown-tenant-marker']);
    } finally {
      await client.end();
    }
    // Wait for the marker itself: the seed's own 'tenant-g' change already satisfies "last is a change".
    await eventually(
      async () => b.changes.at(-1),
      (last) => last?.type === 'changed' && last.clientKey === 'unknown-tenant-marker',
    );
    expect(b.changes).toEqual([
      { type: 'reset' },
      { type: 'changed', clientKey: 'tenant-g' },
      { type: 'changed', clientKey: 'unknown-tenant-marker' },
    ]);
    expect(await outcome(verifyRequest(request, { mode: 'context', tenants: b.directory }))).toBe('accepted');
    expect(get).toHaveBeenCalledTimes(1); // nothing but the marker (an unknown key) was evicted
    expect(b.listenErrors).toEqual([]);

    await a.directory.applyLifecycleEvent({
      clientKey: 'tenant-g',
      eventType: 'uninstalled',
      iat: 11,
      baseUrl: BASE_URL,
    });
    await eventually(
      () => outcome(verifyRequest(request, { mode: 'context', tenants: b.directory })),
      (code) => code === 'TENANT_INACTIVE',
    );
  });

  it('closing ends the listening connection; the last unsubscribe ends it too', async () => {
    const table = uniqueTable();
    const channel = defaultChannel(table);
    cleanups.push(() => dropTable(pgUrl!, table));
    const store = await openTenantStore(pgUrl!, secretBox, { table });
    const directory = new TenantDirectory(store);
    await directory.ready();
    expect(await listenerPids(channel)).toHaveLength(1);
    await directory.close();
    await eventually(
      () => listenerPids(channel),
      (pids) => pids.length === 0,
    );

    const again = new TenantDirectory(store);
    await again.ready();
    expect(await listenerPids(channel)).toHaveLength(1);
    await store.close();
    await eventually(
      () => listenerPids(channel),
      (pids) => pids.length === 0,
    );
    await again.close();
    await expect(store.subscribe!(() => {})).rejects.toThrow(/closed/);
  });
});

describe('the listening connection without a database', () => {
  it('never hangs or rejects, reports each failed attempt, backs off, and close() stops retrying', async () => {
    const errors: unknown[] = [];
    const changes: TenantChange[] = [];
    // A second listener, never closed until the end, is the clock: its retries prove the closed one had the time
    // for its own, so "no more errors" cannot pass merely because the check came too soon.
    const controlErrors: unknown[] = [];
    const options = {
      connectionString: 'postgres://cik:cik@127.0.0.1:9/none',
      channel: 'cik_unreachable_changed',
      timeoutMs: 500,
      minRetryMs: 10,
      maxRetryMs: 40,
      heartbeatMs: 1000,
    };
    const listener = new PgListener({
      ...options,
      onChange: (change) => changes.push(change),
      onError: (error) => errors.push(error),
    });
    const control = new PgListener({ ...options, onChange: () => {}, onError: (error) => controlErrors.push(error) });
    try {
      await Promise.all([listener.start(), control.start()]);
      expect(errors).toHaveLength(1);
      await eventually(
        async () => Math.min(errors.length, controlErrors.length),
        (n) => n >= 4,
      );
      await listener.close();
      const afterClose = errors.length;
      const controlAtClose = controlErrors.length;
      // Four more retries of the control: at least twice the longest backoff (40 ms) has passed.
      await eventually(
        async () => controlErrors.length,
        (n) => n >= controlAtClose + 4,
      );
      expect(errors.length).toBe(afterClose);
      expect(changes).toEqual([]);
    } finally {
      await control.close();
    }
  });
});

describe('SQLite: in-process change notifications', () => {
  it('directories sharing one store object hear each other’s changes', async () => {
    const store = await openTenantStore('sqlite::memory:', secretBox);
    const one = new TenantDirectory(store, { ttlMs: ONE_HOUR });
    const two = new TenantDirectory(store, { ttlMs: ONE_HOUR });
    await one.applyLifecycleEvent(install('tenant-l', 10));
    expect((await two.resolve('tenant-l'))?.tenant.state).toBe('installed');
    await one.applyLifecycleEvent({ clientKey: 'tenant-l', eventType: 'uninstalled', iat: 11, baseUrl: BASE_URL });
    expect((await two.resolve('tenant-l'))?.tenant.state).toBe('uninstalled');
    await two.close();
    await one.close();
    await store.close();
  });
});
