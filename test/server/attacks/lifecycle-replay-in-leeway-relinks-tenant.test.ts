/**
 * Attack: a captured `enabled` delivery, replayed just after its `exp` but inside the clock leeway, with a body that
 * names the attacker's own site (`cloudId`) and Forge installation (`installationId`). The Connect JWT signs method,
 * path and query, never the body, so those fields are protected only by the store's record of applied tokens and
 * by the event order. Were the tenant re-linked, the attacker's own Forge Invocation Token (a genuine one, for
 * their own site) would reach the victim's tenant.
 */
import { importSPKI } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  jsonResponse,
  openTenantStore,
  type TenantStore,
} from '../../../src/server/index.js';
import { createForgeKeySet } from '../../../src/server/forge/key-set.js';
import { createForgeKeyPair, mintForgeInvocationToken, type ForgeKeyPair } from '../../../src/testing/tokens/forge.js';
import { expectRefusal } from '../helpers/expect.js';
import { createInstallKeyPair, type InstallKeyPair } from '../helpers/key-server.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from '../helpers/postgres.js';
import { memoryStore, secretBox } from '../helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, now } from '../helpers/tokens.js';

const APP = 'https://app.example.com';
const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const JWKS_URL = 'https://forge-jwks.test/.well-known/jwks.json';
const pgUrl = await resolvePostgresUrl();

let installKeys: InstallKeyPair;
let forgeKey: ForgeKeyPair;
beforeAll(async () => {
  installKeys = await createInstallKeyPair('replay-leeway/install-key');
  forgeKey = await createForgeKeyPair('replay-leeway-forge-key');
});

const stores: Array<[string, () => Promise<{ store: TenantStore; done: () => Promise<void> }>]> = [
  [
    'SQLite',
    async () => {
      const store = await memoryStore();
      return { store, done: () => store.close() };
    },
  ],
];
if (pgUrl) {
  stores.push([
    'PostgreSQL',
    async () => {
      const table = uniqueTable();
      const store = await openTenantStore(pgUrl, secretBox, { table });
      return {
        store,
        done: async () => {
          await store.close();
          await dropTable(pgUrl, table);
        },
      };
    },
  ]);
}

const forgeFetch = (async (input: RequestInfo | URL) =>
  String(input) === JWKS_URL
    ? Response.json({ keys: [forgeKey.publicJwk] })
    : new Response('no', { status: 404 })) as typeof fetch;

function handlerOver(store: TenantStore) {
  return createFetchHandler(
    createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      installKeys: { getKey: async () => importSPKI(installKeys.publicPem, 'RS256') },
      forge: { appId: APP_ID, keySet: createForgeKeySet({ url: JWKS_URL, fetch: forgeFetch }) },
      routes: [
        {
          method: 'GET',
          path: '/api/tenant',
          auth: 'forge',
          handle: ({ caller }) => jsonResponse(200, { clientKey: caller!.clientKey }),
        },
      ],
    }),
  );
}

interface Site {
  clientKey: string;
  sharedSecret: string;
  baseUrl: string;
  cloudId: string;
  installationId: string;
}

function newSite(): Site {
  const id = randomBytes(4).toString('hex');
  return {
    clientKey: `client-${id}`,
    sharedSecret: randomBytes(32).toString('base64url'),
    baseUrl: `https://site-${id}.atlassian.net/wiki`,
    cloudId: `c0ffee00-${id}-4000-8000-000000000000`,
    installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
  };
}

function deliver(handler: ReturnType<typeof handlerOver>, event: string, token: string, body: object) {
  return handler(
    new Request(`${APP}/${event}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: APP_KEY, productType: 'confluence', eventType: event, ...body }),
    }),
  );
}

const lifecycleToken = (clientKey: string, event: string, iat: number, exp: number) =>
  mintInstall({ keys: installKeys, clientKey, aud: APP, url: `/${event}`, appBase: APP, iat, exp });

/** The attacker's genuine FIT: this app, their own site and installation. */
const attackerFit = (attacker: Site) =>
  mintForgeInvocationToken(
    { appId: APP_ID, accountId: 'attacker', cloudId: attacker.cloudId, installationId: attacker.installationId },
    forgeKey,
  );

describe.each(stores)('a lifecycle replay inside the clock leeway (%s)', (_, open) => {
  let store: TenantStore;
  let done: () => Promise<void>;
  beforeAll(async () => ({ store, done } = await open()));
  afterAll(() => done());

  it('an `enabled` replayed after exp (within the leeway) with the attacker’s site is refused and re-links nothing', async () => {
    const handler = handlerOver(store);
    const victim = newSite();
    const attacker = newSite();
    const installed = await lifecycleToken(victim.clientKey, 'installed', now() - 60, now() + 600);
    expect((await deliver(handler, 'installed', installed, victim)).status).toBe(204);
    // Expired 5 s ago, still inside the default 30 s leeway: Atlassian's own delivery, late.
    const enabled = await lifecycleToken(victim.clientKey, 'enabled', now() - 20, now() - 5);
    expect((await deliver(handler, 'enabled', enabled, victim)).status).toBe(204);
    const linked = await store.get(victim.clientKey);

    const replay = await deliver(handler, 'enabled', enabled, {
      ...victim,
      cloudId: attacker.cloudId,
      installationId: attacker.installationId,
    });
    await expectRefusal(replay, 401, 'LIFECYCLE_TOKEN_REPLAYED', { token: enabled });

    expect(await store.get(victim.clientKey)).toEqual(linked);
    expect(linked).toMatchObject({ cloudId: victim.cloudId, forgeInstallationId: victim.installationId });
    const stolen = await handler(
      new Request(`${APP}/api/tenant`, { headers: { authorization: `Bearer ${await attackerFit(attacker)}` } }),
    );
    expect(stolen.status).toBe(403);
    expect(((await stolen.json()) as { error: { code: string } }).error.code).toBe('FORGE_SITE_NOT_INSTALLED');
  });

  it('an event whose iat equals the stored one never rewrites the site or the installation link', async () => {
    const victim = newSite();
    const attacker = newSite();
    const iat = now() - 10;
    await store.applyLifecycleEvent({
      ...victim,
      forgeInstallationId: victim.installationId,
      eventType: 'installed',
      iat,
    });
    const linked = await store.get(victim.clientKey);
    // Another record than the first one (as if the replay record were gone): only the event order stands between.
    const result = await store.applyLifecycleEvent({
      clientKey: victim.clientKey,
      baseUrl: victim.baseUrl,
      eventType: 'enabled',
      iat,
      cloudId: attacker.cloudId,
      forgeInstallationId: attacker.installationId,
      token: {
        tokenHash: randomBytes(32).toString('hex'),
        bodyHash: randomBytes(32).toString('hex'),
        expiresAt: iat + 60,
      },
    });
    expect(result.tenant).toMatchObject({ cloudId: victim.cloudId, forgeInstallationId: victim.installationId });
    const stored = await store.get(victim.clientKey);
    expect(stored).toMatchObject({ cloudId: victim.cloudId, forgeInstallationId: victim.installationId });
    expect(stored?.sharedSecret).toBe(linked?.sharedSecret);
    expect(await store.findClientKeyByCloudId!(attacker.cloudId)).toBeUndefined();
    expect(await store.findClientKeyByInstallationId!(attacker.installationId)).toBeUndefined();

    // A newer event does move them: the rule is about equal iats, not about links being frozen.
    await store.applyLifecycleEvent({
      clientKey: victim.clientKey,
      baseUrl: victim.baseUrl,
      eventType: 'enabled',
      iat: iat + 1,
      cloudId: victim.cloudId,
      forgeInstallationId: attacker.installationId,
    });
    expect(await store.findClientKeyByInstallationId!(attacker.installationId)).toBe(victim.clientKey);
  });
});
