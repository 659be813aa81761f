/**
 * `caller.confluence` and `app.confluence(clientKey)` (issue 18): one typed client per authority. As the app, a JWT
 * with the qsh of each request signed with the tenant's secret, to the tenant's baseUrl; as a user, the JWT bearer
 * grant (cached, coalesced, ACT_AS_USER checked); on Forge Remote, the invocation's system and user tokens. Here
 * against a recording fetch; test/server/backend-calls-emulator.test.ts runs the same against the emulator.
 */
import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isConfluenceError } from '../../src/index.js';
import {
  createConnectApp,
  createFetchHandler,
  defineRoute,
  isBackendCallError,
  jsonResponse,
  createQueryStringHash,
  type ConnectAppConfig,
} from '../../src/server/index.js';
import { createForgeKeySet } from '../../src/server/forge/key-set.js';
import { parseLifecyclePayload } from '../../src/server/lifecycle/payload.js';
import { createForgeKeyPair, mintForgeInvocationToken } from '../../src/testing/tokens/forge.js';
import { memoryStore, seedTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintSymmetric } from './helpers/tokens.js';

const APP = 'https://app.example.com';
const AUTH_SERVER = 'https://auth.test';
const OAUTH_CLIENT_ID = 'oauth-client-1';

interface Recorded {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

/** A site and an authorization server in one fetch: pages answer 200, `/forbidden` 403 like Confluence. */
function recordingFetch(options: { grantDelayMs?: number; refuseGrant?: boolean } = {}) {
  const calls: Recorded[] = [];
  let grants = 0;
  const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? init.body : '';
    calls.push({ url, method: init?.method ?? 'GET', authorization: headers.get('authorization'), body });
    if (url === `${AUTH_SERVER}/oauth2/token`) {
      grants++;
      if (options.grantDelayMs) await new Promise((resolve) => setTimeout(resolve, options.grantDelayMs));
      if (options.refuseGrant) return Response.json({ error: 'invalid_grant' }, { status: 400 });
      return Response.json({ access_token: `user-token-${grants}`, token_type: 'Bearer', expires_in: 900 });
    }
    if (url.includes('/forbidden')) {
      return Response.json(
        { statusCode: 403, message: 'Current user not permitted to use Confluence' },
        { status: 403 },
      );
    }
    // getPage batches same-tick reads into one list request
    if (url.includes('/pages?id=')) return Response.json({ results: [{ id: '1', title: 'Page' }] });
    return Response.json({ id: '1', title: 'Page' });
  }) as typeof fetch;
  return { calls, fetch: fetchStub, grants: () => grants };
}

async function setup(config: Partial<ConnectAppConfig> = {}, fetchStub = recordingFetch()) {
  const store = await memoryStore();
  const tenant = await seedTenant(store);
  await store.applyLifecycleEvent({ ...tenant, eventType: 'installed', iat: 5, oauthClientId: OAUTH_CLIENT_ID });
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants: store,
    confluence: { scopes: ['READ', 'ACT_AS_USER'], authorizationServerUrl: AUTH_SERVER, fetch: fetchStub.fetch },
    ...config,
  });
  return { store, tenant, app, ...fetchStub };
}

describe('asApp() on Connect', () => {
  it('signs each request with the qsh of exactly that request and sends it to the tenant baseUrl', async () => {
    const { app, tenant, calls, store } = await setup();
    const client = app.confluence(tenant.clientKey).asApp();
    await client.request({ path: '/wiki/api/v2/pages/1', query: { 'body-format': 'storage' } });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.url).toBe('https://tenant.atlassian.net/wiki/api/v2/pages/1?body-format=storage');
    const token = call!.authorization!.replace(/^JWT /, '');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(tenant.sharedSecret));
    expect(payload.iss).toBe(APP_KEY);
    expect(payload.qsh).toBe(createQueryStringHash('GET', '/api/v2/pages/1?body-format=storage'));
    expect(app.confluence(tenant.clientKey).asApp()).toBe(client); // one client per tenant and authority
    await store.close();
  });

  it("keeps Confluence's refusal reason", async () => {
    const { app, tenant, store } = await setup();
    const error = await app
      .confluence(tenant.clientKey)
      .asApp()
      .request({ path: '/wiki/api/v2/forbidden' })
      .catch((e: unknown) => e);
    expect(isConfluenceError(error) && error.reason).toBe('product-access');
    await store.close();
  });

  it('refuses a tenant that is not installed with a ConfluenceError whose cause says so', async () => {
    const { app, store } = await setup();
    const error = await app
      .confluence('nobody')
      .asApp()
      .request({ path: '/wiki/api/v2/pages/1' })
      .catch((e: unknown) => e);
    expect(isConfluenceError(error) && error.kind).toBe('unauthorized');
    expect(isBackendCallError((error as Error).cause) && (error as { cause: { code: string } }).cause.code).toBe(
      'TENANT_NOT_INSTALLED',
    );
    await store.close();
  });
});

describe('asUser() on Connect: the JWT bearer grant', () => {
  it('posts the assertion Atlassian expects, then calls the site with the bearer token', async () => {
    const { app, tenant, calls, store } = await setup();
    await app.confluence(tenant.clientKey).asUser('user-1').request({ path: '/wiki/api/v2/pages/1' });
    const [grant, call] = calls;
    expect(grant!.url).toBe(`${AUTH_SERVER}/oauth2/token`);
    const form = new URLSearchParams(grant!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const { payload } = await jwtVerify(form.get('assertion')!, new TextEncoder().encode(tenant.sharedSecret));
    expect(payload).toMatchObject({
      iss: `urn:atlassian:connect:clientid:${OAUTH_CLIENT_ID}`,
      sub: 'urn:atlassian:connect:useraccountid:user-1',
      tnt: tenant.baseUrl,
      aud: AUTH_SERVER,
    });
    expect(call!.authorization).toBe('Bearer user-token-1');
    await store.close();
  });

  it('grants once per user: concurrent and later requests share the cached token until shortly before expiry', async () => {
    let clock = Date.now();
    const fetchStub = recordingFetch({ grantDelayMs: 20 });
    const { app, tenant, store } = await setup({}, fetchStub);
    const rebuilt = createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      confluence: {
        scopes: ['ACT_AS_USER'],
        authorizationServerUrl: AUTH_SERVER,
        fetch: fetchStub.fetch,
        now: () => clock,
      },
    });
    void app;
    const site = rebuilt.confluence(tenant.clientKey);
    await Promise.all(['1', '2', '3'].map((id) => site.asUser('user-1').request({ path: `/wiki/api/v2/pages/${id}` })));
    expect(fetchStub.grants()).toBe(1);
    await site.asUser('user-2').request({ path: '/wiki/api/v2/pages/1' });
    expect(fetchStub.grants()).toBe(2);
    clock += 10 * 60_000; // 10 of the 15 minutes: still cached
    await site.asUser('user-1').request({ path: '/wiki/api/v2/pages/4' });
    expect(fetchStub.grants()).toBe(2);
    clock += 4.5 * 60_000; // 30 s before expiry: inside the refresh margin
    await site.asUser('user-1').request({ path: '/wiki/api/v2/pages/5' });
    expect(fetchStub.grants()).toBe(3);
    await store.close();
  });

  it('a refused grant is a ConfluenceError (unauthorized) for that request, never retried as a network fault', async () => {
    const fetchStub = recordingFetch({ refuseGrant: true });
    const { app, tenant, store } = await setup({}, fetchStub);
    const error = await app
      .confluence(tenant.clientKey)
      .asUser('ghost')
      .request({ path: '/wiki/api/v2/pages/1' })
      .catch((e: unknown) => e);
    expect(isConfluenceError(error) && [error.kind, error.status]).toEqual(['unauthorized', 400]);
    expect(fetchStub.grants()).toBe(1);
    await store.close();
  });

  it('without ACT_AS_USER in the declared scopes, asUser() throws a typed error before any request', async () => {
    const { app, tenant, calls, store } = await setup({ confluence: { scopes: ['READ', 'WRITE'] } });
    let thrown: unknown;
    try {
      app.confluence(tenant.clientKey).asUser('user-1');
    } catch (error) {
      thrown = error;
    }
    expect(isBackendCallError(thrown) && thrown.code).toBe('ACT_AS_USER_SCOPE_MISSING');
    expect(calls).toHaveLength(0);
    await store.close();
  });

  it('stores the install payload oauthClientId (and leaves out a malformed one)', () => {
    const base = { key: APP_KEY, clientKey: 'c', baseUrl: 'https://x.atlassian.net/wiki', eventType: 'installed' };
    const parse = (extra: object) =>
      parseLifecyclePayload(JSON.stringify({ ...base, sharedSecret: 's'.repeat(32), ...extra }));
    expect(parse({ oauthClientId: 'abc-123' }).oauthClientId).toBe('abc-123');
    expect(parse({ oauthClientId: 'bad id\n' }).oauthClientId).toBeUndefined();
  });
});

describe('caller.confluence in a route', () => {
  it('asUser() acts as the verified caller; an anonymous caller has no user to act as', async () => {
    const { store, tenant, calls, fetch: fetchStub } = await setup();
    const app = createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      confluence: { scopes: ['ACT_AS_USER'], authorizationServerUrl: AUTH_SERVER, fetch: fetchStub },
      routes: [
        {
          method: 'GET',
          path: '/api/pages/:id',
          auth: 'context',
          handle: async ({ caller, params }) => {
            try {
              const page = await caller.confluence.asUser().getPage(params.id);
              return jsonResponse(200, page);
            } catch (error) {
              if (isBackendCallError(error)) return jsonResponse(403, { code: error.code });
              throw error;
            }
          },
        },
      ],
    });
    const handler = createFetchHandler(app);
    const asUser = await mintSymmetric({ ...tenant, qsh: 'context', sub: 'user-9' });
    const ok = await handler(new Request(`${APP}/api/pages/1`, { headers: { authorization: `JWT ${asUser}` } }));
    expect(ok.status).toBe(200);
    const grant = calls.find((call) => call.url.startsWith(AUTH_SERVER))!;
    expect(decodeJwt(new URLSearchParams(grant.body).get('assertion')!).sub).toBe(
      'urn:atlassian:connect:useraccountid:user-9',
    );
    const anonymous = await mintSymmetric({ ...tenant, qsh: 'context' });
    const refused = await handler(
      new Request(`${APP}/api/pages/1`, { headers: { authorization: `JWT ${anonymous}` } }),
    );
    expect(await refused.json()).toEqual({ code: 'NO_USER' });
    await store.close();
  });

  it('on Forge Remote, asApp() and asUser() send the invocation tokens to app.apiBaseUrl', async () => {
    const keyPair = await createForgeKeyPair('backend-forge');
    const jwksUrl = 'https://jwks.test/jwks.json';
    const appId = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
    const cloudId = 'b7a4c1d2-0000-4000-8000-00000000000f';
    const recorder = recordingFetch();
    const store = await memoryStore();
    const tenant = await seedTenant(store);
    await store.applyLifecycleEvent({ ...tenant, eventType: 'installed', iat: 5, cloudId });
    const app = createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      forge: {
        appId,
        keySet: createForgeKeySet({
          url: jwksUrl,
          fetch: (async () => Response.json({ keys: [keyPair.publicJwk] })) as unknown as typeof fetch,
        }),
      },
      confluence: { fetch: recorder.fetch },
      routes: [
        defineRoute({
          method: 'GET',
          path: '/api/both',
          auth: ['context', 'forge'],
          handle: async ({ caller }) => {
            await caller.confluence.asUser().request({ path: '/wiki/api/v2/pages/1' });
            await caller.confluence.asApp().request({ path: '/wiki/api/v2/pages/2' });
            return jsonResponse(200, {});
          },
        }),
      ],
    });
    const apiBaseUrl = `https://api.atlassian.com/ex/confluence/${cloudId}`;
    const fit = await mintForgeInvocationToken({ appId, accountId: 'user-3', cloudId, apiBaseUrl }, keyPair);
    const response = await createFetchHandler(app)(
      new Request(`${APP}/api/both`, {
        headers: { authorization: `Bearer ${fit}`, 'x-forge-oauth-user': 'u-token', 'x-forge-oauth-system': 's-token' },
      }),
    );
    expect(response.status).toBe(200);
    expect(recorder.calls.map((call) => [call.url, call.authorization])).toEqual([
      [`${apiBaseUrl}/wiki/api/v2/pages/1`, 'Bearer u-token'],
      [`${apiBaseUrl}/wiki/api/v2/pages/2`, 'Bearer s-token'],
    ]);
    await store.close();
  });
});
