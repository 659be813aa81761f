import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeConnectApp {
  baseUrl: string;
  descriptorUrl: string;
  /** The tenant the emulator installed (its shared secret signs the app's REST calls), once it has. */
  tenant(): { clientKey: string; sharedSecret: string; baseUrl: string } | undefined;
  close(): Promise<void>;
}

export const FAKE_APP_KEY = 'guard-probe-app';

/**
 * The smallest Connect app the emulator installs: a descriptor with one macro, and an `installed` route that keeps the
 * tenant without checking the signature (the emulator's install is not under test here).
 */
export async function startFakeConnectApp(): Promise<FakeConnectApp> {
  let tenant: ReturnType<FakeConnectApp['tenant']>;
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    if (route === '/atlassian-connect.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          key: FAKE_APP_KEY,
          name: 'Guard probe',
          baseUrl,
          authentication: { type: 'jwt' },
          lifecycle: { installed: '/installed' },
          scopes: ['READ'],
          modules: {
            dynamicContentMacros: [{ key: 'probe-macro', name: { value: 'Probe' }, url: '/macro?pageId={page.id}' }],
          },
        }),
      );
      return;
    }
    if (route === '/installed' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        tenant = JSON.parse(body) as NonNullable<typeof tenant>;
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    descriptorUrl: `${baseUrl}/atlassian-connect.json`,
    tenant: () => tenant,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
