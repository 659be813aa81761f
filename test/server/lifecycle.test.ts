import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  createConnectApp,
  createFetchHandler,
  createInstallKeyFetcher,
  jsonResponse,
  verifyRequest,
  type FetchHandler,
  type TenantStore,
} from '../../src/server/index.js';
import { expectRefusal, expectTenantUnchanged } from './helpers/expect.js';
import { createInstallKeyPair, startKeyServer, type InstallKeyPair, type KeyServer } from './helpers/key-server.js';
import { memoryStore, seedTenant, type SeededTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, mintSymmetric, now } from './helpers/tokens.js';

const APP = 'https://app.example.com';

let keyServer: KeyServer;
let keys: InstallKeyPair;
let otherKeys: InstallKeyPair;
let store: TenantStore;
let handler: FetchHandler;
let known: SeededTenant;

function buildApp(options: { production?: boolean; timeoutMs?: number; failureBackoffMs?: number } = {}) {
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants: new TenantDirectory(store),
    installKeys: createInstallKeyFetcher({
      url: keyServer.url,
      timeoutMs: options.timeoutMs ?? 2000,
      ...(options.failureBackoffMs !== undefined ? { failureBackoffMs: options.failureBackoffMs } : {}),
    }),
    development: !(options.production ?? false),
    routes: [
      { method: 'GET', path: '/api/verify', auth: 'context', handle: ({ verified }) => jsonResponse(200, verified) },
    ],
  });
  handler = createFetchHandler(app);
}

beforeAll(async () => {
  keyServer = await startKeyServer();
  keys = await createInstallKeyPair('connect-install/key-1');
  otherKeys = await createInstallKeyPair('connect-install/key-2');
  keyServer.addKey(keys.kid, keys.publicPem);
});
afterAll(() => keyServer.close());

beforeEach(async () => {
  keyServer.mode = 'ok';
  keyServer.hits.clear();
  keyServer.paths.length = 0;
  store = await memoryStore();
  known = await seedTenant(store, { baseUrl: 'https://known.atlassian.net/wiki' });
  buildApp();
});

type Event = 'installed' | 'uninstalled' | 'enabled' | 'disabled';

function payload(event: Event, overrides: Record<string, unknown> = {}) {
  return {
    key: APP_KEY,
    clientKey: known.clientKey,
    sharedSecret: 'attacker-chosen-secret-0123456789',
    baseUrl: known.baseUrl,
    productType: 'confluence',
    description: 'test',
    eventType: event,
    ...overrides,
  };
}

async function signed(event: Event, overrides: Partial<Parameters<typeof mintInstall>[0]> = {}) {
  return mintInstall({ keys, clientKey: known.clientKey, aud: APP, url: `/${event}`, appBase: APP, ...overrides });
}

function post(event: Event, body: unknown, token?: string, path = `/${event}`) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `JWT ${token}`;
  return handler(
    new Request(`${APP}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

describe('signed install: accepted', () => {
  it('a first install creates the tenant; its secret is then usable', async () => {
    const fresh = {
      clientKey: 'fresh-client',
      sharedSecret: 'fresh-secret-0123456789-abcdef',
      baseUrl: 'https://fresh.atlassian.net/wiki',
    };
    const token = await mintInstall({
      keys,
      clientKey: fresh.clientKey,
      aud: `${APP}/`,
      url: '/installed',
      appBase: APP,
    });
    const response = await post('installed', payload('installed', fresh), token);
    expect(response.status).toBe(204);
    expect((await store.get(fresh.clientKey))?.sharedSecret).toBe(fresh.sharedSecret);
    const context = await mintSymmetric({ ...fresh, qsh: 'context' });
    expect(
      (await handler(new Request(`${APP}/api/verify`, { headers: { authorization: `JWT ${context}` } }))).status,
    ).toBe(200);
  });

  it('a signed reinstall of a known tenant replaces the secret', async () => {
    const token = await signed('installed');
    expect(
      (await post('installed', payload('installed', { sharedSecret: 'rotated-secret-0123456789abc' }), token)).status,
    ).toBe(204);
    expect((await store.get(known.clientKey))?.sharedSecret).toBe('rotated-secret-0123456789abc');
  });

  it('aud as an array containing the baseUrl is accepted', async () => {
    const token = await signed('installed', { aud: ['https://other.example', APP] });
    expect((await post('installed', payload('installed'), token)).status).toBe(204);
  });
});

describe('verifyRequest(request, { mode: "lifecycle" })', () => {
  it('verifies a signed install from a Web Request and returns the payload without storing it', async () => {
    const token = await signed('installed');
    const body = payload('installed', { clientKey: 'standalone', sharedSecret: 'standalone-secret-0123456789' });
    const request = new Request(`${APP}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
      body: JSON.stringify(body),
    });
    const standaloneToken = await mintInstall({
      keys,
      clientKey: 'standalone',
      aud: APP,
      url: '/installed',
      appBase: APP,
    });
    const ok = new Request(`${APP}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${standaloneToken}` },
      body: JSON.stringify(body),
    });
    const installKeys = createInstallKeyFetcher({ url: keyServer.url });
    const verified = await verifyRequest(ok, {
      mode: 'lifecycle',
      event: 'installed',
      appKey: APP_KEY,
      appBaseUrl: APP,
      installKeys,
    });
    expect(verified).toMatchObject({ kind: 'lifecycle', clientKey: 'standalone', accountId: 'account-installer' });
    expect(verified.lifecycle?.sharedSecret).toBe('standalone-secret-0123456789');
    expect(await store.get('standalone')).toBeUndefined();
    await expect(
      verifyRequest(request, { mode: 'lifecycle', event: 'installed', appKey: APP_KEY, appBaseUrl: APP, installKeys }),
    ).rejects.toMatchObject({ code: 'ISSUER_MISMATCH' });
    const unsigned = new Request(`${APP}/installed`, { method: 'POST', body: JSON.stringify(body) });
    await expect(
      verifyRequest(unsigned, { mode: 'lifecycle', event: 'installed', appKey: APP_KEY, appBaseUrl: APP, installKeys }),
    ).rejects.toMatchObject({ code: 'TOKEN_MISSING', status: 401 });
  });
});

describe('§d attack table (lifecycle): status, code, stored secret unchanged', () => {
  it('install hijack: unsigned reinstall for a known tenant → 401 TOKEN_MISSING', async () => {
    await expectRefusal(await post('installed', payload('installed')), 401, 'TOKEN_MISSING');
    await expectTenantUnchanged(store, known);
  });

  it('reinstall signed HS256 with the new (attacker-chosen) secret, or with the old one → ALG_NOT_ALLOWED', async () => {
    const body = payload('installed');
    for (const secret of [body.sharedSecret, known.sharedSecret]) {
      const token = await mintSymmetric({
        clientKey: known.clientKey,
        sharedSecret: secret,
        qsh: { method: 'POST', url: '/installed', appBase: APP },
      });
      await expectRefusal(await post('installed', body, token), 401, 'ALG_NOT_ALLOWED', { token });
    }
    await expectTenantUnchanged(store, known);
  });

  it('cross-tenant: token of tenant A, body clientKey B → ISSUER_MISMATCH (install and uninstall)', async () => {
    const victim = await seedTenant(store, { baseUrl: 'https://victim.atlassian.net/wiki' });
    const token = await signed('installed');
    await expectRefusal(
      await post('installed', payload('installed', { clientKey: victim.clientKey }), token),
      401,
      'ISSUER_MISMATCH',
      { token },
    );
    const uninstall = await signed('uninstalled');
    await expectRefusal(
      await post('uninstalled', payload('uninstalled', { clientKey: victim.clientKey }), uninstall),
      401,
      'ISSUER_MISMATCH',
    );
    await expectTenantUnchanged(store, victim);
    await expectTenantUnchanged(store, known);
  });

  it('right kid, wrong private key → SIGNATURE_INVALID; fake kid (CSRT) → KEY_NOT_FOUND', async () => {
    const wrongKey = await signed('installed', { keys: { kid: keys.kid, privateKey: otherKeys.privateKey } });
    await expectRefusal(await post('installed', payload('installed'), wrongKey), 401, 'SIGNATURE_INVALID', {
      token: wrongKey,
    });
    const csrt = await mintInstall({
      keys: { kid: 'fake-kid', privateKey: otherKeys.privateKey },
      clientKey: 'csrt-random',
      aud: APP,
      url: '/installed',
      appBase: APP,
    });
    await expectRefusal(
      await post(
        'installed',
        payload('installed', { clientKey: 'csrt-random', baseUrl: 'https://csrt-scanner-1.atlassian.net' }),
        csrt,
      ),
      401,
      'KEY_NOT_FOUND',
    );
    expect(await store.get('csrt-random')).toBeUndefined();
    await expectTenantUnchanged(store, known);
  });

  it('wrong or missing audience → AUDIENCE_MISMATCH; trailing slash is normalised', async () => {
    for (const aud of ['https://evil.example.com', 'https://app.example.com.evil.com', `${APP}/other`, null]) {
      const token = await signed('installed', { aud });
      await expectRefusal(await post('installed', payload('installed'), token), 401, 'AUDIENCE_MISMATCH');
    }
    await expectTenantUnchanged(store, known);
    expect((await post('installed', payload('installed'), await signed('installed', { aud: `${APP}/` }))).status).toBe(
      204,
    );
  });

  it('unsigned or HS256 FIRST install → refused, nothing stored', async () => {
    const body = payload('installed', { clientKey: 'brand-new' });
    await expectRefusal(await post('installed', body), 401, 'TOKEN_MISSING');
    const hs = await mintSymmetric({
      clientKey: 'brand-new',
      sharedSecret: body.sharedSecret,
      qsh: { method: 'POST', url: '/installed', appBase: APP },
    });
    await expectRefusal(await post('installed', body, hs), 401, 'ALG_NOT_ALLOWED');
    expect(await store.get('brand-new')).toBeUndefined();
  });

  it('context tokens and tokens for another lifecycle route → refused', async () => {
    const context = await mintSymmetric({ ...known, qsh: 'context' });
    await expectRefusal(await post('installed', payload('installed'), context), 401, 'ALG_NOT_ALLOWED');
    const contextQsh = await signed('installed', { qsh: 'context-qsh' });
    await expectRefusal(await post('installed', payload('installed'), contextQsh), 401, 'QSH_MISMATCH');
    const forUninstall = await signed('uninstalled', { url: '/uninstalled' });
    await expectRefusal(await post('installed', payload('installed'), forUninstall), 401, 'QSH_MISMATCH');
    const noQsh = await signed('installed', { qsh: null });
    await expectRefusal(await post('installed', payload('installed'), noQsh), 401, 'QSH_MISSING');
    await expectTenantUnchanged(store, known);
  });

  it('payload problems: no body, not JSON, not an object, missing fields, wrong eventType', async () => {
    const token = await signed('installed');
    const cases: Array<[unknown, string]> = [
      ['', 'PAYLOAD_INVALID'],
      ['{not json', 'PAYLOAD_INVALID'],
      ['[1,2]', 'PAYLOAD_INVALID'],
      ['null', 'PAYLOAD_INVALID'],
      [payload('installed', { clientKey: undefined }), 'PAYLOAD_INVALID'],
      [payload('installed', { sharedSecret: undefined }), 'PAYLOAD_INVALID'],
      [payload('installed', { baseUrl: 'javascript:alert(1)' }), 'PAYLOAD_INVALID'],
      [payload('installed', { baseUrl: 'https://user:pw@x.atlassian.net' }), 'PAYLOAD_INVALID'],
      [payload('installed', { eventType: 'uninstalled' }), 'EVENT_MISMATCH'],
      [payload('installed', { eventType: 'bogus' }), 'PAYLOAD_INVALID'],
    ];
    for (const [body, code] of cases) await expectRefusal(await post('installed', body, token), 400, code);
    const noContentType = await handler(
      new Request(`${APP}/installed`, { method: 'POST', headers: { authorization: `JWT ${token}` } }),
    );
    await expectRefusal(noContentType, 400, 'PAYLOAD_INVALID');
    await expectTenantUnchanged(store, known);
  });

  it('production: a product host outside *.atlassian.net → 403 HOST_NOT_ALLOWED; development accepts it', async () => {
    buildApp({ production: true });
    const token = await signed('installed');
    await expectRefusal(
      await post('installed', payload('installed', { baseUrl: 'https://evil.example/wiki' }), token),
      403,
      'HOST_NOT_ALLOWED',
    );
    await expectRefusal(
      await post('installed', payload('installed', { baseUrl: 'https://atlassian.net.evil.example' }), token),
      403,
      'HOST_NOT_ALLOWED',
    );
    await expectTenantUnchanged(store, known);
    buildApp({ production: false });
    expect(
      (await post('installed', payload('installed', { baseUrl: 'http://localhost:5173/wiki' }), token)).status,
    ).toBe(204);
  });
});

describe('§d "not tested anywhere" row (lifecycle)', () => {
  it('install token without exp (ACE accepts it) → CLAIM_MISSING; expired → TOKEN_EXPIRED; future iat → TOKEN_NOT_YET_VALID', async () => {
    await expectRefusal(
      await post('installed', payload('installed'), await signed('installed', { exp: null })),
      401,
      'CLAIM_MISSING',
    );
    await expectRefusal(
      await post(
        'installed',
        payload('installed'),
        await signed('installed', { iat: now() - 2000, exp: now() - 1000 }),
      ),
      401,
      'TOKEN_EXPIRED',
    );
    await expectRefusal(
      await post('installed', payload('installed'), await signed('installed', { iat: now() + 600, exp: now() + 900 })),
      401,
      'TOKEN_NOT_YET_VALID',
    );
    await expectTenantUnchanged(store, known);
  });

  it('kid path traversal and odd kids → KID_INVALID before any fetch', async () => {
    const bad = [
      '../../etc/passwd',
      'a/../b',
      '..',
      'a/./b',
      '%2e%2e/x',
      'a//b',
      '/abs',
      'a?x=1',
      'a#b',
      'a\\b',
      'k'.repeat(300),
      'a b',
      '',
    ];
    for (const kid of bad) {
      const token = await signed('installed', { kid });
      const response = await post('installed', payload('installed'), token);
      await expectRefusal(response, 401, 'KID_INVALID');
    }
    const noKid = await signed('installed', { kid: null });
    await expectRefusal(await post('installed', payload('installed'), noKid), 401, 'KID_INVALID');
    expect(keyServer.paths).toEqual([]);
    await expectTenantUnchanged(store, known);
  });

  it('key server down (500), hanging, or answering garbage → 503 KEY_UNAVAILABLE and nothing changes; without a backoff each retry fetches', async () => {
    buildApp({ timeoutMs: 300, failureBackoffMs: 0 });
    const token = await signed('installed');
    const body = payload('installed');
    for (const mode of ['down', 'slow', 'garbage'] as const) {
      keyServer.mode = mode;
      const response = await post('installed', body, token);
      await expectRefusal(response, 503, 'KEY_UNAVAILABLE');
      expect(response.headers.get('retry-after')).toBeTruthy();
      await expectTenantUnchanged(store, known);
    }
    keyServer.mode = 'ok';
    expect((await post('installed', body, token)).status).toBe(204);
    expect(keyServer.hits.get(`/${keys.kid}`)).toBe(4);
  });

  it('keys are cached by kid: many installs, one fetch; concurrent lookups share it', async () => {
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => signed('installed')));
    const responses = await Promise.all(tokens.map((token) => post('installed', payload('installed'), token)));
    expect(responses.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
    expect((await post('installed', payload('installed'), await signed('installed'))).status).toBe(204);
    expect(keyServer.hits.get(`/${keys.kid}`)).toBe(1);
  });

  it('uninstall soft-deletes: the row and secret stay, tokens get 403, a later signed install reactivates', async () => {
    const t0 = now();
    expect((await post('uninstalled', payload('uninstalled'), await signed('uninstalled', { iat: t0 }))).status).toBe(
      204,
    );
    const stored = await store.get(known.clientKey);
    expect(stored?.state).toBe('uninstalled');
    expect(stored?.sharedSecret).toBe(known.sharedSecret);
    const context = await mintSymmetric({ ...known, qsh: 'context' });
    await expectRefusal(
      await handler(new Request(`${APP}/api/verify`, { headers: { authorization: `JWT ${context}` } })),
      403,
      'TENANT_INACTIVE',
    );
    expect((await post('installed', payload('installed'), await signed('installed', { iat: t0 + 1 }))).status).toBe(
      204,
    );
    expect((await store.get(known.clientKey))?.state).toBe('installed');
  });

  it('lifecycle race: parallel disabled + uninstalled with the same iat end uninstalled, in either order', async () => {
    const iat = now();
    for (const order of [
      ['disabled', 'uninstalled'],
      ['uninstalled', 'disabled'],
    ] as const) {
      store = await memoryStore();
      known = await seedTenant(store, { baseUrl: 'https://known.atlassian.net/wiki' });
      buildApp();
      const tokens = await Promise.all(order.map((event) => signed(event, { iat })));
      const responses = await Promise.all(order.map((event, i) => post(event, payload(event), tokens[i])));
      expect(responses.map((r) => r.status)).toEqual([204, 204]);
      expect((await store.get(known.clientKey))?.state).toBe('uninstalled');
    }
  });

  it('lifecycle race: an older installed arriving after a newer uninstalled does not resurrect the tenant or change its secret', async () => {
    const iat = now();
    expect((await post('uninstalled', payload('uninstalled'), await signed('uninstalled', { iat }))).status).toBe(204);
    const stale = await signed('installed', { iat: iat - 5 });
    expect((await post('installed', payload('installed'), stale)).status).toBe(204);
    await expectTenantUnchanged(store, known, 'uninstalled');
  });

  it('lifecycle race: an uninstalled that overtakes its installed still wins', async () => {
    const fresh = {
      clientKey: 'racer',
      sharedSecret: 'racer-secret-0123456789abcdef',
      baseUrl: 'https://racer.atlassian.net/wiki',
    };
    const iat = now();
    const uninstall = await mintInstall({ keys, clientKey: 'racer', aud: APP, url: '/uninstalled', appBase: APP, iat });
    const install = await mintInstall({
      keys,
      clientKey: 'racer',
      aud: APP,
      url: '/installed',
      appBase: APP,
      iat: iat - 2,
    });
    expect((await post('uninstalled', payload('uninstalled', fresh), uninstall)).status).toBe(204);
    expect((await post('installed', payload('installed', fresh), install)).status).toBe(204);
    expect((await store.get('racer'))?.state).toBe('uninstalled');
  });

  it('a lifecycle route with garbage tokens never answers 5xx', async () => {
    for (const auth of [
      'JWT',
      'JWT ',
      'JWT a.b.c',
      'JWT ' + 'a'.repeat(100_000),
      'JWT eyJhbGciOiJSUzI1NiJ9.e30.',
      'JWT eyJ.eyJ.eyJ',
    ]) {
      const response = await handler(
        new Request(`${APP}/installed`, { method: 'POST', headers: { authorization: auth }, body: '{}' }),
      );
      expect(response.status, auth.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(response.status, auth.slice(0, 40)).toBeLessThan(500);
    }
    await expectTenantUnchanged(store, known);
  });
});
