import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConnectApp, expressMiddleware, requireConnectJwt } from '../../src/server/index.js';
import { requireForgeInvocation } from '../../src/server/adapters/forge-middleware.js';
import { createForgeKeySet } from '../../src/server/forge/key-set.js';
import { createForgeKeyPair, mintForgeInvocationToken, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';
import { createForgeJwksServer } from '../../src/testing/tokens/forge-jwks-server.js';
import { memoryStore, seedTenant, type SeededTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintSymmetric } from './helpers/tokens.js';

/**
 * A middleware's `next()` is the rest of the app. On plain node:http it is the caller's own continuation, which can
 * throw synchronously; inside the middleware's promise callback that throw would become an unhandled rejection
 * (a crash under Node's default `--unhandled-rejections=throw`) and the request would never be answered.
 */

type Next = (error?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const APP_BASE = 'https://app.example.com';

const unhandled: unknown[] = [];
let sawUnhandled: () => void = () => {};
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
  sawUnhandled();
};
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));
afterEach(() => void (unhandled.length = 0));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

interface Outcome {
  /** what each next() call was given: 'ok' for next(), else the error's message */
  nextCalls: string[];
  status?: number;
  body?: string;
  unhandled: unknown[];
}

/**
 * Serves one request through `middleware` on a real node:http server whose continuation throws `throws` times, and
 * settles when the client got an answer or an unhandled rejection was seen (so a broken middleware fails fast
 * instead of leaving the request hanging).
 */
async function serveThrough(
  middleware: Middleware,
  headers: Record<string, string>,
  path: string,
  throws: 1 | 2,
): Promise<Outcome> {
  const nextCalls: string[] = [];
  let responseDone: () => void = () => {};
  const responseClosed = new Promise<void>((resolve) => (responseDone = resolve));
  server = createServer((req, res) => {
    res.once('close', responseDone);
    middleware(req, res, (error) => {
      nextCalls.push(error === undefined ? 'ok' : (error as Error).message);
      if (nextCalls.length <= throws)
        throw new Error(nextCalls.length === 1 ? 'route blew up' : 'error handler blew up');
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`error path: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const seen = new Promise<'unhandled'>((resolve) => (sawUnhandled = () => resolve('unhandled')));
  const controller = new AbortController();
  const answered = fetch(url, { headers, signal: controller.signal }).then(async (response) => ({
    status: response.status,
    body: await response.text(),
  }));
  const first = await Promise.race([answered, seen]);
  controller.abort();
  answered.catch(() => {});
  // The verdict waits until the server is done with the request (answered, or the aborted socket closed) and then
  // one turn of the event loop: Node reports a rejection left unhandled once the microtasks of the turn that made it
  // have run, before the next turn, so by then a late rejection of the middleware has been reported.
  await responseClosed;
  await new Promise((resolve) => setImmediate(resolve));
  return first === 'unhandled'
    ? { nextCalls, unhandled: [...unhandled] }
    : { nextCalls, ...first, unhandled: [...unhandled] };
}

describe('requireConnectJwt / expressMiddleware when next() throws', () => {
  let tenant: SeededTenant;
  let app: ReturnType<typeof createConnectApp>;
  beforeAll(async () => {
    const store = await memoryStore();
    tenant = await seedTenant(store);
    app = createConnectApp({ appKey: APP_KEY, baseUrl: APP_BASE, tenants: store, routes: [], onError: () => {} });
  });
  const auth = async () => ({ authorization: `JWT ${await mintSymmetric({ ...tenant, qsh: 'context' })}` });

  it('requireConnectJwt: the throw goes to next(error), once, and nothing is unhandled', async () => {
    const outcome = await serveThrough(requireConnectJwt(app, 'context'), await auth(), '/api/items', 1);
    expect(outcome).toEqual({
      nextCalls: ['ok', 'route blew up'],
      status: 500,
      body: 'error path: route blew up',
      unhandled: [],
    });
  });

  it('requireConnectJwt: an error path that throws too gets a 500, never a third next() or an unhandled rejection', async () => {
    const outcome = await serveThrough(requireConnectJwt(app, 'context'), await auth(), '/api/items', 2);
    expect(outcome).toEqual({ nextCalls: ['ok', 'route blew up'], status: 500, body: '', unhandled: [] });
  });

  it('expressMiddleware: a throwing next() for an unmatched route goes to next(error)', async () => {
    const outcome = await serveThrough(expressMiddleware(app), {}, '/not-an-app-route', 1);
    expect(outcome).toEqual({
      nextCalls: ['ok', 'route blew up'],
      status: 500,
      body: 'error path: route blew up',
      unhandled: [],
    });
  });
});

describe('requireForgeInvocation when next() throws', () => {
  let forgeKey: ForgeKeyPair;
  let middleware: Middleware;
  beforeAll(async () => {
    forgeKey = await createForgeKeyPair('forge-next-key');
    const jwks = createForgeJwksServer([forgeKey]);
    middleware = requireForgeInvocation({
      appId: APP_ID,
      keySet: createForgeKeySet({ url: jwks.url, fetch: jwks.fetch }),
    });
  });
  const auth = async () => ({
    authorization: `Bearer ${await mintForgeInvocationToken({ appId: APP_ID, installationId: 'ari:cloud:ecosystem::installation/inst-1' }, forgeKey)}`,
  });

  it('the throw goes to next(error), once, and nothing is unhandled', async () => {
    const outcome = await serveThrough(middleware, await auth(), '/api/items', 1);
    expect(outcome).toEqual({
      nextCalls: ['ok', 'route blew up'],
      status: 500,
      body: 'error path: route blew up',
      unhandled: [],
    });
  });

  it('an error path that throws too gets a 500, never a third next() or an unhandled rejection', async () => {
    const outcome = await serveThrough(middleware, await auth(), '/api/items', 2);
    expect(outcome).toEqual({ nextCalls: ['ok', 'route blew up'], status: 500, body: '', unhandled: [] });
  });
});
