/**
 * A lifecycle token applies once. The install signature covers method, path and query, not the body, so a captured
 * install token replayed within its lifetime must not install another sharedSecret or baseUrl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  createConnectApp,
  createFetchHandler,
  createInstallKeyFetcher,
  openTenantStore,
  type LifecycleNotice,
  type TenantStore,
} from '../../src/server/index.js';
import { expectRefusal } from './helpers/expect.js';
import { createInstallKeyPair, startKeyServer, type InstallKeyPair, type KeyServer } from './helpers/key-server.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { memoryStore, secretBox } from './helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, now } from './helpers/tokens.js';

const APP = 'https://app.example.com';
const pgUrl = await resolvePostgresUrl();

let keyServer: KeyServer;
let keys: InstallKeyPair;

beforeAll(async () => {
  keyServer = await startKeyServer();
  keys = await createInstallKeyPair('replay/key-1');
  keyServer.addKey(keys.kid, keys.publicPem);
});
afterAll(() => keyServer.close());

function appOver(store: TenantStore, notices: LifecycleNotice[] = []) {
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants: new TenantDirectory(store),
    installKeys: createInstallKeyFetcher({ url: keyServer.url }),
    onLifecycle: (notice) => notices.push(notice),
  });
  return createFetchHandler(app);
}

function installBody(clientKey: string, sharedSecret: string, baseUrl = 'https://victim.atlassian.net/wiki') {
  return JSON.stringify({ key: APP_KEY, clientKey, sharedSecret, baseUrl, eventType: 'installed' });
}

function post(handler: (request: Request) => Promise<Response>, token: string, body: string) {
  return handler(
    new Request(`${APP}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body,
    }),
  );
}

const stores: Array<[string, () => Promise<{ store: TenantStore; second: TenantStore; done: () => Promise<void> }>]> = [
  [
    'SQLite',
    async () => {
      const store = await memoryStore();
      return { store, second: store, done: () => store.close() };
    },
  ],
];
if (pgUrl) {
  stores.push([
    'PostgreSQL (two instances)',
    async () => {
      const table = uniqueTable();
      const store = await openTenantStore(pgUrl, secretBox, { table });
      const second = await openTenantStore(pgUrl, secretBox, { table });
      return {
        store,
        second,
        done: async () => {
          await second.close();
          await store.close();
          await dropTable(pgUrl, table);
        },
      };
    },
  ]);
}

describe.each(stores)('install replay (%s)', (_, open) => {
  it('the same token with the same body: 204 again, nothing changes; with another body: 401, nothing changes', async () => {
    const { store, second, done } = await open();
    try {
      const notices: LifecycleNotice[] = [];
      const first = appOver(store, notices);
      const other = appOver(second);
      const clientKey = `replay-${Math.random().toString(36).slice(2)}`;
      const token = await mintInstall({ keys, clientKey, aud: APP, url: '/installed', appBase: APP });
      const genuine = installBody(clientKey, 'genuine-secret-0123456789abcdef');
      expect((await post(first, token, genuine)).status).toBe(204);
      const installed = await store.get(clientKey);

      // Atlassian retrying the delivery (or anyone replaying it unchanged): answered alike, applied once.
      expect((await post(other, token, genuine)).status).toBe(204);
      expect((await post(first, token, genuine)).status).toBe(204);
      expect(notices.map((notice) => [notice.applied, notice.replayed])).toEqual([
        [true, false],
        [false, true],
      ]);
      for (const attack of [
        installBody(clientKey, 'attacker-secret-0123456789abcdef'),
        installBody(clientKey, 'genuine-secret-0123456789abcdef', 'https://evil.atlassian.net/wiki'),
      ]) {
        await expectRefusal(await post(other, token, attack), 401, 'LIFECYCLE_TOKEN_REPLAYED', { token });
        await expectRefusal(await post(first, token, attack), 401, 'LIFECYCLE_TOKEN_REPLAYED', { token });
      }
      expect(await store.get(clientKey)).toEqual(installed);
    } finally {
      await done();
    }
  });

  it('a different install token with the same iat never replaces a live tenant', async () => {
    const { store, done } = await open();
    try {
      const handler = appOver(store);
      const clientKey = `same-iat-${Math.random().toString(36).slice(2)}`;
      const iat = now();
      const first = await mintInstall({ keys, clientKey, aud: APP, url: '/installed', appBase: APP, iat });
      expect((await post(handler, first, installBody(clientKey, 'genuine-secret-0123456789abcdef'))).status).toBe(204);
      const second = await mintInstall({
        keys,
        clientKey,
        aud: APP,
        url: '/installed',
        appBase: APP,
        iat,
        exp: iat + 600,
      });
      expect((await post(handler, second, installBody(clientKey, 'other-secret-0123456789abcdef00'))).status).toBe(204);
      expect((await store.get(clientKey))?.sharedSecret).toBe('genuine-secret-0123456789abcdef');
    } finally {
      await done();
    }
  });
});

it('onLifecycle gets no shared secret unless it asks for one', async () => {
  const store = await memoryStore();
  const seen: LifecycleNotice[] = [];
  const handler = (lifecycleNoticeSecret: boolean) =>
    createFetchHandler(
      createConnectApp({
        appKey: APP_KEY,
        baseUrl: APP,
        tenants: store,
        installKeys: createInstallKeyFetcher({ url: keyServer.url }),
        lifecycleNoticeSecret,
        onLifecycle: (notice) => seen.push(notice),
      }),
    );
  const token = await mintInstall({ keys, clientKey: 'notice', aud: APP, url: '/installed', appBase: APP });
  expect((await post(handler(false), token, installBody('notice', 'notice-secret-0123456789abcdef'))).status).toBe(204);
  expect(seen[0]?.tenant).toMatchObject({ clientKey: 'notice', state: 'installed' });
  expect(seen[0]?.tenant).not.toHaveProperty('sharedSecret');
  const again = await mintInstall({
    keys,
    clientKey: 'notice',
    aud: APP,
    url: '/installed',
    appBase: APP,
    iat: now() + 1,
  });
  expect((await post(handler(true), again, installBody('notice', 'notice-secret-0123456789abcdef'))).status).toBe(204);
  expect(seen[1]?.tenant?.sharedSecret).toBe('notice-secret-0123456789abcdef');
});
