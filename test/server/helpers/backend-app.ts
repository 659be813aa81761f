/**
 * The test app of the backend-call tests: a Connect app adopted onto Forge whose routes read and write pages through
 * `caller.confluence`, served over HTTP by node:http directly or by Hono (its `fetch` mounted on node:http).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { isConfluenceError } from '../../../src/index.js';
import {
  createConnectApp,
  createFetchHandler,
  createNodeHandler,
  defineRoute,
  jsonResponse,
  openTenantStore,
  type ConnectApp,
  type TenantStore,
} from '../../../src/server/index.js';
import { secretBox } from './tenant-fixture.js';

export const TEST_APP_KEY = 'com.example.backend-calls';
export const TEST_APP_SCOPES = ['READ', 'WRITE', 'ACT_AS_USER'] as const;

/** What a route answers when Confluence refused: the same state the browser would show. */
function refusal(error: unknown) {
  if (isConfluenceError(error)) {
    return jsonResponse(error.status || 502, { kind: error.kind, reason: error.reason ?? null });
  }
  throw error;
}

interface Page {
  id: string;
  title: string;
  version: { number: number };
  body?: { storage?: { value: string } };
}

export interface TestBackend {
  url: string;
  app: ConnectApp;
  store: TenantStore;
  close(): Promise<void>;
}

/**
 * Starts the app on a free port. `emulator` names what it trusts: the emulator's install keys, its authorization
 * server and its Forge JWKS (known before the emulator installs the app).
 */
export async function startTestBackend(
  server: 'node:http' | 'hono',
  emulator: { installKeysUrl: string; authorizationServerUrl: string; forge: { appId: string; jwksUrl: string } },
): Promise<TestBackend> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const http: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(http.address() as AddressInfo).port}`;
  const store = await openTenantStore('sqlite::memory:', secretBox);
  const app = createConnectApp({
    appKey: TEST_APP_KEY,
    baseUrl: url,
    tenants: store,
    development: true,
    installKeysUrl: emulator.installKeysUrl,
    forge: { appId: emulator.forge.appId, jwksUrl: emulator.forge.jwksUrl },
    confluence: { scopes: TEST_APP_SCOPES, authorizationServerUrl: emulator.authorizationServerUrl, retry: false },
    routes: [
      {
        method: 'GET',
        path: '/atlassian-connect.json',
        auth: 'none',
        handle: () =>
          jsonResponse(200, {
            key: TEST_APP_KEY,
            name: 'Backend calls',
            baseUrl: url,
            scopes: TEST_APP_SCOPES,
            authentication: { type: 'jwt' },
            lifecycle: { installed: '/installed', uninstalled: '/uninstalled' },
            apiMigrations: { 'signed-install': true },
            modules: {},
          }),
      },
      // One route for the Connect frontend (context token) and the Forge one (FIT + x-forge-oauth-user).
      defineRoute({
        method: 'GET',
        path: '/api/pages/:id',
        auth: ['context', 'forge'],
        handle: async ({ caller, params }) => {
          try {
            const page = await caller.confluence.asUser().getPage<Page>(params.id);
            return jsonResponse(200, { id: page.id, title: page.title, host: caller.host });
          } catch (error) {
            return refusal(error);
          }
        },
      }),
      {
        method: 'PUT',
        path: '/api/pages/:id/title',
        auth: 'context',
        handle: async ({ caller, params, request }) => {
          const { title } = JSON.parse(await request.text(4096)) as { title: string };
          const asUser = caller.confluence.asUser();
          try {
            const { data: page } = await asUser.request<Page>({
              path: `/wiki/api/v2/pages/${params.id}`,
              query: { 'body-format': 'storage' },
            });
            const { data: updated } = await asUser.request<Page>({
              method: 'PUT',
              path: `/wiki/api/v2/pages/${params.id}`,
              body: {
                id: params.id,
                status: 'current',
                title,
                body: { representation: 'storage', value: page.body?.storage?.value ?? '' },
                version: { number: page.version.number + 1 },
              },
            });
            return jsonResponse(200, { title: updated.title, version: updated.version.number });
          } catch (error) {
            return refusal(error);
          }
        },
      },
      {
        method: 'GET',
        path: '/api/app/pages/:id',
        auth: 'context',
        handle: async ({ caller, params }) => {
          try {
            const page = await caller.confluence.asApp().getPage<Page>(params.id);
            return jsonResponse(200, { id: page.id, title: page.title });
          } catch (error) {
            return refusal(error);
          }
        },
      },
    ],
  });
  if (server === 'node:http') {
    handle = createNodeHandler(app);
  } else {
    const hono = new Hono();
    const kit = createFetchHandler(app);
    hono.all('*', (c) => kit(c.req.raw));
    handle = (req, res) => void serveFetch(hono.fetch, url, req, res);
  }
  return {
    url,
    app,
    store,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await app.tenants.close();
      await store.close();
    },
  };
}

/** A fetch handler (Hono's `app.fetch`) on node:http: what @hono/node-server does, in a few lines. */
async function serveFetch(
  fetchHandler: (request: Request) => Response | Promise<Response>,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(new URL(req.url ?? '/', origin), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  const response = await fetchHandler(request);
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}
