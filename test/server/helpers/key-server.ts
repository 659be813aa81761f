import { exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type KeyServerMode = 'ok' | 'down' | 'slow' | 'garbage' | 'not-found';

/**
 * A local stand-in for connect-install-keys.atlassian.com on 127.0.0.1: serves PEM public keys by kid,
 * counts requests per path, and can be switched into outage modes.
 */
export interface KeyServer {
  url: string;
  mode: KeyServerMode;
  hits: Map<string, number>;
  /** every raw request path seen (to assert kid traversal never reached the server) */
  paths: string[];
  addKey(kid: string, pem: string): void;
  close(): Promise<void>;
}

export async function startKeyServer(): Promise<KeyServer> {
  const keys = new Map<string, string>();
  const state: KeyServer = {
    url: '',
    mode: 'ok',
    hits: new Map(),
    paths: [],
    addKey: (kid, pem) => keys.set(kid, pem),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    state.paths.push(path);
    state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
    if (state.mode === 'down') {
      res.writeHead(500).end('internal error');
      return;
    }
    if (state.mode === 'slow') return; // never answers: the client's timeout must fire
    if (state.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const pem = keys.get(decodeURIComponent(path.slice(1)));
    if (!pem || state.mode === 'not-found') {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

export interface InstallKeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicPem: string;
}

export async function createInstallKeyPair(kid: string): Promise<InstallKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicPem: await exportSPKI(publicKey) };
}
