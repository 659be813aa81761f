/**
 * The typed caller and route params (issue 18): the same `content` / `space` / `host` fields from a Connect context
 * token and from a Forge Invocation Token, the raw claims kept; `:name` route segments decoded into `params`, with
 * the trailing-slash and percent-encoding rules of route-path.ts and a 404 for a path no route matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  defineRoute,
  jsonResponse,
  type FetchHandler,
  type TenantStore,
} from '../../src/server/index.js';
import { createForgeKeySet } from '../../src/server/forge/key-set.js';
import { createForgeKeyPair, mintForgeInvocationToken, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';
import { memoryStore, seedTenant, type SeededTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintSymmetric } from './helpers/tokens.js';

const APP = 'https://app.example.com';
const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const JWKS_URL = 'https://forge-jwks.test/.well-known/jwks.json';
const CLOUD_ID = 'b7a4c1d2-0000-4000-8000-000000000001';

let store: TenantStore;
let tenant: SeededTenant;
let forgeKey: ForgeKeyPair;
let handler: FetchHandler;

beforeAll(async () => {
  store = await memoryStore();
  tenant = await seedTenant(store);
  await store.applyLifecycleEvent({ ...tenant, eventType: 'installed', iat: 5, cloudId: CLOUD_ID });
  forgeKey = await createForgeKeyPair('typed-caller-key');
  const forgeFetch = (async (input: RequestInfo | URL) =>
    String(input) === JWKS_URL
      ? Response.json({ keys: [forgeKey.publicJwk] })
      : new Response('no', { status: 404 })) as typeof fetch;
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants: store,
    forge: { appId: APP_ID, keySet: createForgeKeySet({ url: JWKS_URL, fetch: forgeFetch }) },
    routes: [
      defineRoute({
        method: 'GET',
        path: '/api/where',
        auth: ['context', 'forge'],
        handle: ({ caller }) =>
          jsonResponse(200, {
            host: caller.host,
            accountId: caller.accountId ?? null,
            content: caller.content ?? null,
            space: caller.space ?? null,
            iss: caller.claims.iss,
          }),
      }),
      {
        method: 'GET',
        path: '/api/spaces/:spaceKey/items/:id',
        auth: 'context',
        handle: ({ params }) => jsonResponse(200, { ...params }),
      },
      {
        method: 'GET',
        path: '/api/items/:id',
        auth: 'context',
        handle: ({ params }) => jsonResponse(200, { ...params }),
      },
      { method: 'GET', path: '/api/items/new', auth: 'context', handle: () => jsonResponse(200, { literal: true }) },
      { method: 'GET', path: '/open/:name', auth: 'none', handle: ({ params }) => jsonResponse(200, { ...params }) },
    ],
  });
  handler = createFetchHandler(app);
});
afterAll(() => store.close());

async function contextToken(context?: unknown): Promise<string> {
  return mintSymmetric({ ...tenant, qsh: 'context', sub: 'user-1', context });
}

async function get(path: string, authorization?: string): Promise<Response> {
  return handler(new Request(APP + path, authorization ? { headers: { authorization } } : {}));
}

describe('caller.content, caller.space and caller.host, whichever token', () => {
  it('reads them from a Connect context token (context.confluence)', async () => {
    const token = await contextToken({
      confluence: { content: { id: '65537', type: 'page', version: '3' }, space: { key: 'ENG', id: 98305 } },
    });
    const response = await get('/api/where', `JWT ${token}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      host: 'connect',
      accountId: 'user-1',
      content: { id: '65537', type: 'page' },
      space: { key: 'ENG', id: '98305' },
      iss: tenant.clientKey,
    });
  });

  it('reads them from a Forge Invocation Token (context.extension)', async () => {
    const fit = await mintForgeInvocationToken(
      {
        appId: APP_ID,
        accountId: 'user-2',
        cloudId: CLOUD_ID,
        context: { extension: { content: { id: '65537', type: 'page' }, space: { key: 'ENG', id: '98305' } } },
      },
      forgeKey,
    );
    const response = await get('/api/where', `Bearer ${fit}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      host: 'forge',
      accountId: 'user-2',
      content: { id: '65537', type: 'page' },
      space: { key: 'ENG', id: '98305' },
      iss: 'forge/invocation-token',
    });
  });

  it('leaves them undefined when the token names no page or space', async () => {
    const response = await get('/api/where', `JWT ${await contextToken({ confluence: { content: { id: '' } } })}`);
    expect(await response.json()).toMatchObject({ content: null, space: null });
  });
});

describe('route params', () => {
  it('hands the handler each :name segment, decoded', async () => {
    const token = `JWT ${await contextToken()}`;
    expect(await (await get('/api/spaces/ENG/items/42', token)).json()).toEqual({ spaceKey: 'ENG', id: '42' });
    expect(await (await get('/api/items/caf%C3%A9', token)).json()).toEqual({ id: 'café' });
  });

  it('ignores one trailing slash and keeps an encoded slash inside its parameter', async () => {
    const token = `JWT ${await contextToken()}`;
    expect(await (await get('/api/items/42/', token)).json()).toEqual({ id: '42' });
    expect(await (await get('/api/items/a%2Fb', token)).json()).toEqual({ id: 'a/b' });
  });

  it('answers 404 when no route matches: an empty segment, an extra segment, malformed percent-encoding', async () => {
    const token = `JWT ${await contextToken()}`;
    for (const path of ['/api/items/', '/api/items/42/more', '/api/items/%E0%A4%A', '/api/items']) {
      const response = await get(path, token);
      expect(response.status, path).toBe(404);
    }
  });

  it('tries routes in order: an earlier pattern wins over a later literal', async () => {
    const token = `JWT ${await contextToken()}`;
    expect(await (await get('/api/items/new', token)).json()).toEqual({ id: 'new' });
  });

  it('works on open routes and still authenticates the others', async () => {
    expect(await (await get('/open/hello%20world')).json()).toEqual({ name: 'hello world' });
    expect((await get('/api/items/42')).status).toBe(401);
  });

  it('refuses a malformed parameter name at startup', () => {
    for (const path of ['/api/:', '/api/:1d', '/api/:id/:id']) {
      expect(() =>
        createConnectApp({
          appKey: APP_KEY,
          baseUrl: APP,
          tenants: store,
          routes: [{ method: 'GET', path, auth: 'none', handle: () => jsonResponse(200, {}) }],
        }),
      ).toThrow(TypeError);
    }
  });
});
