/**
 * A SQLite file locked by another connection (another process, a backup, a migration): the store never waits for
 * the lock synchronously (better-sqlite3's busy handler would block the event loop, and with it every other request
 * of the process); it retries on timers within `busyTimeoutMs` and then answers STORE_UNAVAILABLE (503 with
 * Retry-After), and works again once the lock is gone.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  VerificationError,
  createConnectApp,
  createFetchHandler,
  createInstallKeyFetcher,
  jsonResponse,
  openTenantStore,
  type TenantStore,
} from '../../src/server/index.js';
import { createInstallKeyPair, startKeyServer, type InstallKeyPair, type KeyServer } from './helpers/key-server.js';
import { secretBox } from './helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, mintSymmetric } from './helpers/tokens.js';

const APP = 'https://app.example.com';
const SECRET = 'plaintext-shared-secret-1234567890';
const NEW_SECRET = 'rotated-shared-secret-12345678901';
const BASE_URL = 'https://busy.atlassian.net/wiki';
const install = (clientKey: string, iat: number, sharedSecret = SECRET) => ({
  clientKey,
  eventType: 'installed' as const,
  iat,
  baseUrl: BASE_URL,
  sharedSecret,
});

const dirs: string[] = [];
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const resource of open.splice(0).reverse()) await resource.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cik-busy-'));
  dirs.push(dir);
  return join(dir, 'tenants.db');
}

async function openStore(file: string, busyTimeoutMs?: number): Promise<TenantStore> {
  const store = await openTenantStore(
    `sqlite:${file}`,
    secretBox,
    busyTimeoutMs === undefined ? {} : { busyTimeoutMs },
  );
  open.push(store);
  return store;
}

/** Another connection holding the write lock (`BEGIN IMMEDIATE`, with a write pending) until `release()`. */
function holdWriteLock(file: string) {
  const blocker = new Database(file);
  blocker.exec('BEGIN IMMEDIATE');
  blocker.exec("UPDATE cik_tenants SET description = 'uncommitted'");
  let held = true;
  const handle = {
    release() {
      if (!held) return;
      held = false;
      blocker.exec('ROLLBACK');
      blocker.close();
    },
    close() {
      handle.release();
    },
  };
  open.push(handle);
  return handle;
}

async function settle(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('SQLite locked by another connection', () => {
  it('a write answers STORE_UNAVAILABLE without blocking the event loop meanwhile, and works once the lock is gone', async () => {
    const file = databaseFile();
    const store = await openStore(file, 200);
    await store.applyLifecycleEvent(install('locked', 10));
    const lock = holdWriteLock(file);

    const order: string[] = [];
    const write = settle(store.applyLifecycleEvent(install('locked', 20, NEW_SECRET))).then((outcome) => {
      order.push('store settled');
      return outcome;
    });
    // Scheduled after the write started: it runs before the write gives up only if the wait yields to the loop.
    setTimeout(() => order.push('timer ran'), 0);
    const outcome = await write;
    expect(order).toEqual(['timer ran', 'store settled']);
    expect(outcome.error).toBeInstanceOf(VerificationError);
    expect((outcome.error as VerificationError).code).toBe('STORE_UNAVAILABLE');
    expect((outcome.error as VerificationError).status).toBe(503);

    lock.release();
    expect(await store.get('locked')).toMatchObject({ sharedSecret: SECRET, lastEventIat: 10 });
    expect(await store.applyLifecycleEvent(install('locked', 20, NEW_SECRET))).toMatchObject({
      applied: true,
      tenant: { sharedSecret: NEW_SECRET },
    });
  });

  it('a lock released by other work of this process while the store waits: the write goes through', async () => {
    const file = databaseFile();
    const store = await openStore(file, 2_000);
    await store.applyLifecycleEvent(install('waits', 10));
    const lock = holdWriteLock(file);
    const write = store.applyLifecycleEvent(install('waits', 20, NEW_SECRET));
    // Only possible when the store's wait leaves the event loop free to run this.
    setTimeout(() => lock.release(), 20);
    expect(await write).toMatchObject({ applied: true, tenant: { sharedSecret: NEW_SECRET } });
  });

  it('reads do not wait for the write lock (WAL): they see the last committed state', async () => {
    const file = databaseFile();
    const store = await openStore(file, 50);
    await store.applyLifecycleEvent(install('reader', 10));
    holdWriteLock(file);
    expect(await store.get('reader')).toMatchObject({ sharedSecret: SECRET });
    expect(await store.get('reader')).not.toHaveProperty('description', 'uncommitted');
  });
});

describe('through the HTTP layer: 503 with Retry-After, never a 500', () => {
  let keyServer: KeyServer;
  let keys: InstallKeyPair;
  beforeAll(async () => {
    keyServer = await startKeyServer();
    keys = await createInstallKeyPair('connect-install/busy-key');
    keyServer.addKey(keys.kid, keys.publicPem);
  });
  afterAll(() => keyServer.close());

  async function app(file: string) {
    const store = await openStore(file, 50);
    await store.applyLifecycleEvent(install('http-tenant', 10));
    const tenants = new TenantDirectory(store, { ttlMs: 0 });
    open.push(tenants);
    const handler = createFetchHandler(
      createConnectApp({
        appKey: APP_KEY,
        baseUrl: APP,
        tenants,
        installKeys: createInstallKeyFetcher({ url: keyServer.url }),
        development: true,
        routes: [
          {
            method: 'GET',
            path: '/api/verify',
            auth: 'context',
            handle: ({ verified }) => jsonResponse(200, verified),
          },
        ],
      }),
    );
    return { store, handler };
  }

  async function expectRetryLater(response: Response) {
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await response.json()).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
  }

  it('an install while the file is write-locked', async () => {
    const file = databaseFile();
    const { store, handler } = await app(file);
    const body = JSON.stringify({
      key: APP_KEY,
      clientKey: 'http-tenant',
      sharedSecret: NEW_SECRET,
      baseUrl: BASE_URL,
      productType: 'confluence',
      description: 'busy',
      eventType: 'installed',
    });
    const post = async () =>
      handler(
        new Request(`${APP}/installed`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `JWT ${await mintInstall({ keys, clientKey: 'http-tenant', aud: APP, url: '/installed', appBase: APP })}`,
          },
          body,
        }),
      );
    const lock = holdWriteLock(file);
    await expectRetryLater(await post());
    lock.release();
    expect((await post()).status).toBe(204);
    expect(await store.get('http-tenant')).toMatchObject({ sharedSecret: NEW_SECRET });
  });

  it('verified requests (reads) keep answering 200 while the file is write-locked', async () => {
    const file = databaseFile();
    const { handler } = await app(file);
    const token = await mintSymmetric({ clientKey: 'http-tenant', sharedSecret: SECRET, qsh: 'context', sub: 'u' });
    const request = () => handler(new Request(`${APP}/api/verify`, { headers: { authorization: `JWT ${token}` } }));
    holdWriteLock(file);
    expect((await request()).status).toBe(200);
  });
});
