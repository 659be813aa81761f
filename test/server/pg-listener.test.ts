import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TenantDirectory, openTenantStore } from '../../src/server/index.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { secretBox } from './helpers/tenant-fixture.js';

const pgUrl = await resolvePostgresUrl();

/** One client connection through the proxy. */
interface Pipe {
  /** the startup message named the change listener's application_name */
  listener: boolean | undefined;
  /**
   * `dark`: the network between client and database is gone, nothing passes either way and no FIN or RST either.
   * `error-then-dark`: the next query is answered with an ErrorResponse (as a pooler whose server connection broke
   * does), then dark.
   */
  mode: 'pass' | 'dark' | 'error-then-dark';
  /** the client sent its FIN */
  clientEnded: boolean;
  /** the client's socket is gone (the proxy's side of it closed) */
  clientClosed: boolean;
  client: Socket;
  upstream: Socket;
}

interface Proxy {
  url: string;
  pipes: Pipe[];
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the test PostgreSQL that can make a connection die silently, the way a dropped NAT entry
 * or a pulled cable does. `allowHalfOpen`, because a dead peer never answers a FIN with its own.
 */
async function startProxy(databaseUrl: string): Promise<Proxy> {
  const target = new URL(databaseUrl);
  const pipes: Pipe[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port || 5432), allowHalfOpen: true });
    const pipe: Pipe = { listener: undefined, mode: 'pass', clientEnded: false, clientClosed: false, client, upstream };
    pipes.push(pipe);
    client.on('data', (chunk: Buffer) => {
      // The startup message is the first thing a pg client sends; it carries application_name in clear text.
      pipe.listener ??= chunk.includes('cik_listen');
      if (pipe.mode === 'error-then-dark' && chunk[0] === 0x51 /* 'Q', a simple query */) {
        pipe.mode = 'dark';
        client.write(ERROR_RESPONSE);
      }
      if (pipe.mode === 'pass') upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pipe.mode === 'pass') client.write(chunk);
    });
    client.on('end', () => {
      pipe.clientEnded = true;
      if (pipe.mode === 'pass') upstream.end();
    });
    upstream.on('end', () => {
      if (pipe.mode === 'pass') client.end();
    });
    client.on('close', () => {
      pipe.clientClosed = true;
      upstream.destroy();
    });
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.toString(),
    pipes,
    async close() {
      for (const pipe of pipes) {
        pipe.client.destroy();
        pipe.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function message(type: string, fields: string): Buffer {
  const body = Buffer.from(fields, 'latin1');
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const ERROR_RESPONSE = message('E', 'SERROR\0VERROR\0C08006\0Mserver connection lost\0\0');

/**
 * A NoticeResponse ('N'): harmless to a pg client that still reads (it only emits 'notice'), while a socket whose
 * owner has closed it answers the data with a RST, which the proxy sees as its side closing.
 */
const NOTICE = message('N', 'Mprobe\0\0');

async function until(condition: () => boolean, timeoutMs: number, step?: () => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    step?.();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!pgUrl)('the change listener on a connection that died silently', () => {
  it.each([
    // pg itself force-closes a client whose query is still in flight, so this case never hung; it is pinned here.
    ['the heartbeat times out', 'dark'],
    // The query settled, so pg's end() is the graceful one: it sends its FIN and waits for the server's forever.
    ['the heartbeat is answered with an error, then nothing', 'error-then-dark'],
  ] as const)(
    '%s: it is torn down, not left half-closed; store.close() resolves and the socket is gone',
    async (_, mode) => {
      const proxy = await startProxy(pgUrl!);
      cleanups.push(() => proxy.close());
      const table = uniqueTable();
      cleanups.push(() => dropTable(pgUrl!, table));
      const listenErrors: unknown[] = [];
      const store = await openTenantStore(proxy.url, secretBox, {
        table,
        timeoutMs: 300,
        listenHeartbeatMs: 500,
        // No reconnect during the test: only the connection that died is looked at.
        listenRetryMs: { min: 60_000, max: 60_000 },
        onListenError: (error) => listenErrors.push(error),
      });
      const directory = new TenantDirectory(store);
      await directory.ready();
      const listeners = proxy.pipes.filter((pipe) => pipe.listener);
      expect(listeners).toHaveLength(1);
      const [pipe] = listeners as [Pipe];

      pipe.mode = mode;
      // The heartbeat's SELECT 1 fails: the listener gives the connection up.
      expect(await until(() => listenErrors.length > 0, 5000)).toBe(true);

      await directory.close();
      await store.close();
      // A client that only sent its FIN and waits for the server's would keep the socket (and the process) alive.
      const gone = await until(
        () => pipe.clientClosed,
        3000,
        () => {
          if (!pipe.clientClosed) pipe.client.write(NOTICE);
        },
      );
      expect({ gone, clientEnded: pipe.clientEnded }).toEqual({ gone: true, clientEnded: true });
    },
  );
});
