/**
 * Attack: install-key starvation. Strangers send unsigned `POST /installed` with a new random kid each time, at the
 * fetch cap (5 a second) or more: each one spends a slot of the key fetcher's budget. Kids that have already
 * verified a genuine lifecycle token have a budget of their own, so under such a flood a cached key still refreshes
 * once its TTL is over, and a known kid whose key has gone past its stale grace can still be fetched.
 */
import { generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  createInstallKeyFetcher,
  type InstallKeyFetcherOptions,
} from '../../../src/server/index.js';
import { createInstallKeyPair, type InstallKeyPair } from '../helpers/key-server.js';
import { memoryStore } from '../helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, now } from '../helpers/tokens.js';

const APP = 'https://app.example.com';
const KEYS_URL = 'https://install-keys.test';
const HOUR_MS = 60 * 60 * 1000;

let atlassian: InstallKeyPair;
let attackerKey: CryptoKey;
beforeAll(async () => {
  atlassian = await createInstallKeyPair('real/key-1');
  ({ privateKey: attackerKey } = await generateKeyPair('RS256'));
});

/** The key server: Atlassian's one kid, 404 for anything else; counts fetches per kid. */
function keyServer() {
  const fetches = new Map<string, number>();
  const fetchKey = (async (input: RequestInfo | URL) => {
    const kid = decodeURIComponent(new URL(String(input)).pathname.slice(1));
    fetches.set(kid, (fetches.get(kid) ?? 0) + 1);
    if (kid !== atlassian.kid) return new Response('<Error>NoSuchKey</Error>', { status: 404 });
    return new Response(atlassian.publicPem, { status: 200 });
  }) as typeof fetch;
  return { fetch: fetchKey, fetchesOf: (kid: string) => fetches.get(kid) ?? 0 };
}

async function appWith(options: InstallKeyFetcherOptions) {
  const store = await memoryStore();
  const handler = createFetchHandler(
    createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      installKeys: createInstallKeyFetcher({ url: KEYS_URL, ...options }),
    }),
  );
  return { store, handler };
}

const tenant = {
  clientKey: `client-${randomBytes(4).toString('hex')}`,
  sharedSecret: randomBytes(32).toString('base64url'),
  baseUrl: 'https://starved.atlassian.net/wiki',
};

let iat = now() - 30;

/** A genuine lifecycle delivery, signed with Atlassian's key. */
async function genuine(handler: (request: Request) => Promise<Response>, event: 'installed' | 'enabled') {
  iat += 1;
  const token = await mintInstall({
    keys: atlassian,
    clientKey: tenant.clientKey,
    aud: APP,
    url: `/${event}`,
    appBase: APP,
    iat,
  });
  return handler(
    new Request(`${APP}/${event}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
      body: JSON.stringify({ key: APP_KEY, eventType: event, ...tenant }),
    }),
  );
}

/** One second's worth of the flood: unsigned installs, each with a new random kid. */
async function flood(handler: (request: Request) => Promise<Response>, requests: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < requests; sent++) {
    const kid = `bogus/${randomBytes(8).toString('hex')}`;
    const token = await mintInstall({
      keys: { kid, privateKey: attackerKey },
      clientKey: tenant.clientKey,
      aud: APP,
      url: '/installed',
      appBase: APP,
    });
    const response = await handler(
      new Request(`${APP}/installed`, { method: 'POST', headers: { authorization: `JWT ${token}` }, body: '{}' }),
    );
    statuses.push(response.status);
  }
  return statuses;
}

describe('install-key starvation by random kids', () => {
  it('a cached key past its TTL still refreshes while the flood has spent the shared budget', async () => {
    let clock = Date.now();
    const server = keyServer();
    const { handler } = await appWith({ fetch: server.fetch, now: () => clock });
    expect((await genuine(handler, 'installed')).status).toBe(204);
    expect(server.fetchesOf(atlassian.kid)).toBe(1);

    clock += 24 * HOUR_MS + 60_000; // past the 24 h TTL, inside the 1 h stale grace
    const statuses = await flood(handler, 10);
    expect(statuses).toContain(503); // the shared budget is spent
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);

    expect((await genuine(handler, 'enabled')).status).toBe(204); // served from the stale key...
    await expect.poll(() => server.fetchesOf(atlassian.kid)).toBe(2); // ...which is refreshed in the background
  });

  it('a known kid whose key is past its stale grace is fetched on its own budget during the flood', async () => {
    let clock = Date.now();
    const server = keyServer();
    const { handler, store } = await appWith({ fetch: server.fetch, now: () => clock, maxStaleMs: 0 });
    expect((await genuine(handler, 'installed')).status).toBe(204);

    clock += 24 * HOUR_MS + 1;
    expect(await flood(handler, 10)).toContain(503);
    const enabled = await genuine(handler, 'enabled');
    expect(enabled.status).toBe(204);
    expect((await store.get(tenant.clientKey))?.state).toBe('enabled');
    expect(server.fetchesOf(atlassian.kid)).toBe(2);
  });

  it('the flood itself stays capped: random kids never get the known kids’ budget', async () => {
    const clock = Date.now();
    const server = keyServer();
    const { handler } = await appWith({ fetch: server.fetch, now: () => clock });
    expect((await genuine(handler, 'installed')).status).toBe(204);
    const statuses = await flood(handler, 12);
    // 4 slots left of the 5 this second (the genuine install took one); the other 8 are refused without a fetch.
    expect(statuses.filter((status) => status === 401)).toHaveLength(4);
    expect(statuses.filter((status) => status === 503)).toHaveLength(8);
  });
});
