/** Strict install payloads: this app's key, an https product baseUrl on a valid DNS host under the allowlist. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  createInstallKeyFetcher,
  type TenantStore,
} from '../../src/server/index.js';
import { expectRefusal } from './helpers/expect.js';
import { createInstallKeyPair, startKeyServer, type InstallKeyPair, type KeyServer } from './helpers/key-server.js';
import { memoryStore } from './helpers/tenant-fixture.js';
import { APP_KEY, mintInstall } from './helpers/tokens.js';

const APP = 'https://app.example.com';

let keyServer: KeyServer;
let keys: InstallKeyPair;

beforeAll(async () => {
  keyServer = await startKeyServer();
  keys = await createInstallKeyPair('payload/key-1');
  keyServer.addKey(keys.kid, keys.publicPem);
});
afterAll(() => keyServer.close());

async function install(store: TenantStore, body: Record<string, unknown>, development = false) {
  const handler = createFetchHandler(
    createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      installKeys: createInstallKeyFetcher({ url: keyServer.url }),
      development,
    }),
  );
  const clientKey = String(body.clientKey);
  const token = await mintInstall({ keys, clientKey, aud: APP, url: '/installed', appBase: APP });
  return handler(
    new Request(`${APP}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
      body: JSON.stringify({
        key: APP_KEY,
        sharedSecret: 'payload-secret-0123456789abcdef',
        eventType: 'installed',
        ...body,
      }),
    }),
  );
}

describe('strict by default (no development flag)', () => {
  it.each([
    ['another app’s key', { key: 'com.other.app' }, 400, 'APP_KEY_MISMATCH'],
    ['no key', { key: undefined }, 400, 'APP_KEY_MISMATCH'],
    ['a CSP-breaking host', { baseUrl: 'https://*;x.atlassian.net/wiki' }, 400, 'PAYLOAD_INVALID'],
    ['a wildcard host', { baseUrl: 'https://*.atlassian.net/wiki' }, 400, 'PAYLOAD_INVALID'],
    ['userinfo', { baseUrl: 'https://user:pw@site.atlassian.net/wiki' }, 400, 'PAYLOAD_INVALID'],
    ['plain http', { baseUrl: 'http://site.atlassian.net/wiki' }, 403, 'HOST_NOT_ALLOWED'],
    ['an odd port', { baseUrl: 'https://site.atlassian.net:8443/wiki' }, 403, 'HOST_NOT_ALLOWED'],
    ['a host outside *.atlassian.net', { baseUrl: 'https://evil.example.com/wiki' }, 403, 'HOST_NOT_ALLOWED'],
    ['localhost', { baseUrl: 'https://localhost/wiki' }, 403, 'HOST_NOT_ALLOWED'],
  ])('%s → refused, nothing stored', async (_, override, status, code) => {
    const store = await memoryStore();
    const clientKey = 'strict-tenant';
    const response = await install(store, { clientKey, baseUrl: 'https://site.atlassian.net/wiki', ...override });
    await expectRefusal(response, status, code);
    expect(await store.get(clientKey)).toBeUndefined();
  });

  it('https on the default port (443 spelt out too) under *.atlassian.net is installed', async () => {
    const store = await memoryStore();
    expect((await install(store, { clientKey: 'a', baseUrl: 'https://site.atlassian.net/wiki' })).status).toBe(204);
    expect((await install(store, { clientKey: 'b', baseUrl: 'https://site.atlassian.net:443/wiki' })).status).toBe(204);
  });
});

it('development: true accepts http and ports (the emulator), still not another app’s key', async () => {
  const store = await memoryStore();
  expect((await install(store, { clientKey: 'dev', baseUrl: 'http://localhost:5173/wiki' }, true)).status).toBe(204);
  const wrongKey = await install(store, { clientKey: 'dev2', baseUrl: 'http://localhost:5173/wiki', key: 'x' }, true);
  await expectRefusal(wrongKey, 400, 'APP_KEY_MISMATCH');
});

it('allowedHosts patterns that are not host names are refused when the app is created', async () => {
  const store = await memoryStore();
  for (const pattern of [
    'https://*;x.atlassian.net',
    '*.atlassian.net:8443',
    'http://x.atlassian.net',
    '*.*.net',
    '',
  ]) {
    expect(
      () => createConnectApp({ appKey: APP_KEY, baseUrl: APP, tenants: store, allowedHosts: [pattern] }),
      pattern,
    ).toThrow(/Invalid allowedHosts pattern/);
  }
});

it('an install-keys URL over plain http is refused unless loopback or development', async () => {
  const store = await memoryStore();
  const config = { appKey: APP_KEY, baseUrl: APP, tenants: store };
  expect(() => createConnectApp({ ...config, installKeysUrl: 'http://keys.example.com' })).toThrow(/must be https/);
  expect(() => createConnectApp({ ...config, installKeysUrl: 'http://127.0.0.1:9' })).not.toThrow();
  expect(() =>
    createConnectApp({ ...config, installKeysUrl: 'http://keys.example.com', development: true }),
  ).not.toThrow();
});
