/**
 * The emulator's Node half (no page, no browser) hosting the backend-call test app: an adopted Connect app whose
 * Forge remote asks for both product tokens. The backend's REST calls are collected as the request log shows them.
 */
import { createServer, type Server } from 'node:http';
import { createEmulatorBackend, type EmulatorBackend } from '../../../emulator/node/emulator-api';
import type { ForgeManifest } from '../../../emulator/node/forge-manifest';
import { freePort } from '../../../emulator/node/ports';
import type { BackendCallRecord } from '../../../emulator/node/site-rest';
import type { InstallResult } from '../../../emulator/node/install';
import { startTestBackend, type TestBackend } from './backend-app.js';

const FORGE_APP_ID = 'ari:cloud:ecosystem::app/7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export interface EmulatedSite {
  emulatorOrigin: string;
  emulator: EmulatorBackend;
  backend: TestBackend;
  install: InstallResult;
  /** every answered backend call, in order */
  log: BackendCallRecord[];
  close(): Promise<void>;
}

export async function startEmulatedSite(server: 'node:http' | 'hono'): Promise<EmulatedSite> {
  const port = await freePort();
  const emulatorOrigin = `http://localhost:${port}`;
  const log: BackendCallRecord[] = [];
  const manifest: ForgeManifest = {
    appId: FORGE_APP_ID,
    resources: new Map(),
    modules: [],
    remotes: new Map([['backend', 'http://placeholder.invalid']]),
    remoteTokens: new Map([['backend', { appUserToken: true, appSystemToken: true }]]),
    moduleRemotes: new Map(),
    scopes: ['READ', 'WRITE'],
    contentSecurityPolicy: '',
    // No Forge functions: this site serves a remote only.
    functions: new Map(),
    moduleFunctions: new Map(),
    directory: process.cwd(),
    scopeNames: ['read:confluence-content.all', 'write:confluence-content'],
  };
  let descriptorUrl = '';
  const emulator = await createEmulatorBackend({
    emulatorOrigin,
    // Known once the app listens (it needs the emulator's keys and authorization server first).
    get descriptorUrl() {
      return descriptorUrl;
    },
    forge: { customUiBaseUrl: 'http://localhost:1', manifest },
    onBackendCall: (record) => {
      if (record.status !== 'pending') log.push(record);
    },
  });
  const backend = await startTestBackend(server, {
    installKeysUrl: emulator.installKeysUrl,
    authorizationServerUrl: emulator.authorizationServerUrl,
    forge: emulator.forge!,
  });
  descriptorUrl = `${backend.url}/atlassian-connect.json`;
  manifest.remotes.set('backend', backend.url);
  const http: Server = createServer((req, res) =>
    emulator.middleware(req, res, () => {
      res.statusCode = 404;
      res.end();
    }),
  );
  await new Promise<void>((resolve) => http.listen(port, 'localhost', resolve));
  const install = await emulator.ensureInstalled();
  return {
    emulatorOrigin,
    emulator,
    backend,
    install,
    log,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await backend.close();
    },
  };
}
