/**
 * Attack: an app that owns its lifecycle route (`verifyRequest({ mode: 'lifecycle' })`) and a captured install
 * replayed with another body. The install JWT does not sign the body, so the verified request carries the store
 * write WITH the record of its token (`change`): applied through the store, the same token applies once, and with
 * another body (an attacker's shared secret) it is refused.
 */
import { importSPKI } from 'jose';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  isVerificationError,
  openTenantStore,
  verifyRequest,
  type InstallKeyProvider,
  type TenantStore,
} from '../../../src/server/index.js';
import { createInstallKeyPair, type InstallKeyPair } from '../helpers/key-server.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from '../helpers/postgres.js';
import { memoryStore, secretBox } from '../helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, now } from '../helpers/tokens.js';

const APP = 'https://app.example.com';
const pgUrl = await resolvePostgresUrl();

let keys: InstallKeyPair;
let installKeys: InstallKeyProvider;
beforeAll(async () => {
  keys = await createInstallKeyPair('own-route/key-1');
  const key = await importSPKI(keys.publicPem, 'RS256');
  installKeys = { getKey: async () => key };
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

/** The app's own `/installed` route, as the verifyRequest documentation shows it. */
function ownInstalledRoute(tenants: TenantDirectory) {
  return async (request: Request): Promise<Response> => {
    try {
      const verified = await verifyRequest(request, {
        mode: 'lifecycle',
        event: 'installed',
        appKey: APP_KEY,
        appBaseUrl: APP,
        installKeys,
      });
      await tenants.applyLifecycleEvent(verified.change);
      return new Response(null, { status: 204 });
    } catch (error) {
      if (isVerificationError(error)) return Response.json({ code: error.code }, { status: error.status });
      throw error;
    }
  };
}

const post = (token: string, body: Record<string, unknown>) =>
  new Request(`${APP}/installed`, {
    method: 'POST',
    headers: { authorization: `JWT ${token}` },
    body: JSON.stringify({ key: APP_KEY, eventType: 'installed', ...body }),
  });

describe.each(stores)('verifyRequest lifecycle mode, replayed (%s)', (_, open) => {
  let store: TenantStore;
  let done: () => Promise<void>;
  beforeAll(async () => ({ store, done } = await open()));
  afterAll(() => done());

  it('the verified change applies once; the same token with an attacker’s secret is refused and changes nothing', async () => {
    const route = ownInstalledRoute(new TenantDirectory(store));
    const victim = {
      clientKey: `client-${randomBytes(4).toString('hex')}`,
      sharedSecret: randomBytes(32).toString('base64url'),
      baseUrl: 'https://victim.atlassian.net/wiki',
    };
    const token = await mintInstall({ keys, clientKey: victim.clientKey, aud: APP, url: '/installed', appBase: APP });
    expect((await route(post(token, victim))).status).toBe(204);
    expect((await route(post(token, victim))).status).toBe(204); // Atlassian retrying: nothing changes

    const replay = await route(post(token, { ...victim, sharedSecret: 'attacker-secret-0123456789abcdef' }));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ code: 'LIFECYCLE_TOKEN_REPLAYED' });
    expect((await store.get(victim.clientKey))?.sharedSecret).toBe(victim.sharedSecret);
  });

  it('the change carries the token record until exp plus the leeway, and the event in token order', async () => {
    const clientKey = `client-${randomBytes(4).toString('hex')}`;
    const iat = now() - 5;
    const token = await mintInstall({ keys, clientKey, aud: APP, url: '/installed', appBase: APP, iat, exp: iat + 60 });
    const verified = await verifyRequest(
      post(token, { clientKey, sharedSecret: 'a-secret-0123456789abcdef', baseUrl: 'https://x.atlassian.net/wiki' }),
      { mode: 'lifecycle', event: 'installed', appKey: APP_KEY, appBaseUrl: APP, installKeys, leewaySeconds: 10 },
    );
    expect(verified.change).toMatchObject({ clientKey, eventType: 'installed', iat });
    expect(verified.change.token?.expiresAt).toBe(iat + 60 + 10);
    expect(verified.change.token?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(verified.change.token)).not.toContain(token);
    expect(await store.get(clientKey)).toBeUndefined(); // verifying alone stores nothing
  });
});
