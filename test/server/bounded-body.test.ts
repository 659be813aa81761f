/** Request bodies are read as streams with a size cap and a time limit, and a lifecycle body only after its token. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  createInstallKeyFetcher,
  createNodeHandler,
  verifyRequest,
} from '../../src/server/index.js';
import { expectRefusal } from './helpers/expect.js';
import { createInstallKeyPair, startKeyServer, type InstallKeyPair, type KeyServer } from './helpers/key-server.js';
import { memoryStore } from './helpers/tenant-fixture.js';
import { APP_KEY, mintInstall } from './helpers/tokens.js';

const APP = 'https://app.example.com';
const CHUNK = new Uint8Array(16 * 1024).fill(0x20);

let keyServer: KeyServer;
let keys: InstallKeyPair;

beforeAll(async () => {
  keyServer = await startKeyServer();
  keys = await createInstallKeyPair('body/key-1');
  keyServer.addKey(keys.kid, keys.publicPem);
});
afterAll(() => keyServer.close());

/** A body that never ends by itself, counting how many bytes the server pulled. */
function endlessBody(): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += CHUNK.byteLength;
      controller.enqueue(CHUNK);
    },
  });
  return { stream, pulled: () => pulled };
}

async function app(options: { maxBodyBytes?: number } = {}) {
  return createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants: await memoryStore(),
    installKeys: createInstallKeyFetcher({ url: keyServer.url }),
    ...options,
  });
}

function streamingPost(token: string | undefined, stream: ReadableStream<Uint8Array>): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `JWT ${token}`;
  return new Request(`${APP}/installed`, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
}

describe('fetch adapter', () => {
  it('a signed install with an endless body (no Content-Length) → 413, the stream is cancelled near the cap', async () => {
    const handler = createFetchHandler(await app());
    const token = await mintInstall({ keys, clientKey: 'big', aud: APP, url: '/installed', appBase: APP });
    const body = endlessBody();
    await expectRefusal(await handler(streamingPost(token, body.stream)), 413, 'PAYLOAD_TOO_LARGE');
    expect(body.pulled()).toBeLessThan(64 * 1024 + 4 * CHUNK.byteLength);
  });

  it('maxBodyBytes is configurable', async () => {
    const handler = createFetchHandler(await app({ maxBodyBytes: 1024 }));
    const token = await mintInstall({ keys, clientKey: 'small', aud: APP, url: '/installed', appBase: APP });
    const request = new Request(`${APP}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
      body: 'x'.repeat(2048),
    });
    await expectRefusal(await handler(request), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unsigned lifecycle request is refused before a byte of its body is read', async () => {
    const handler = createFetchHandler(await app());
    const body = endlessBody();
    await expectRefusal(await handler(streamingPost(undefined, body.stream)), 401, 'TOKEN_MISSING');
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK.byteLength);
  });

  it('a body that stops arriving → 408 PAYLOAD_TIMEOUT, not a hang', async () => {
    const handler = createFetchHandler(await app(), { bodyTimeoutMs: 50 });
    const token = await mintInstall({ keys, clientKey: 'slow', aud: APP, url: '/installed', appBase: APP });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"key":'));
      },
    });
    await expectRefusal(await handler(streamingPost(token, stalled)), 408, 'PAYLOAD_TIMEOUT');
  });
});

it('verifyRequest lifecycle mode: token first, then a capped read of the body', async () => {
  const installKeys = createInstallKeyFetcher({ url: keyServer.url });
  const options = { mode: 'lifecycle', event: 'installed', appKey: APP_KEY, appBaseUrl: APP, installKeys } as const;
  const unsigned = endlessBody();
  await expect(verifyRequest(streamingPost(undefined, unsigned.stream), options)).rejects.toMatchObject({
    code: 'TOKEN_MISSING',
  });
  expect(unsigned.pulled()).toBeLessThanOrEqual(CHUNK.byteLength);
  const token = await mintInstall({ keys, clientKey: 'big', aud: APP, url: '/installed', appBase: APP });
  const signed = endlessBody();
  await expect(verifyRequest(streamingPost(token, signed.stream), options)).rejects.toMatchObject({
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  });
  expect(signed.pulled()).toBeLessThan(64 * 1024 + 4 * CHUNK.byteLength);
});

describe('node adapter', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(createNodeHandler(await app()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a signed install with a body over the cap → 413, never a 500', async () => {
    const token = await mintInstall({ keys, clientKey: 'big', aud: APP, url: '/installed', appBase: APP });
    const response = await fetch(`${url}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
      body: 'x'.repeat(200_000),
    });
    // The app's baseUrl is APP, so the qsh names APP's path; this server is reached on another origin, same path.
    await expectRefusal(response, 413, 'PAYLOAD_TOO_LARGE');
  });
});
