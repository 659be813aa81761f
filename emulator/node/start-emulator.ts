import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { WorldSeed } from '../../src/testing/core';
import { createEmulatorBackend } from './emulator-api';
import { startEmulatorServer, startPrebuiltEmulatorServer } from './emulator-server';
import type { InstallResult } from './install';
import { freePort } from './ports';

export interface EmulatorOptions {
  /** The Connect app's descriptor, e.g. http://localhost:3000/atlassian-connect.json. */
  descriptorUrl: string;
  /** 0 picks a free port. Default 5173. */
  port?: number;
  host?: string;
  /** Where the emulator keeps the tenant across runs (a restart re-installs the same tenant). Default: nowhere. */
  dataDir?: string;
  /** Who acts when the page URL names nobody: a seed user name (`editor`) or an accountId. */
  actingUser?: string;
  /** The emulated site's content, as `createWorld` takes it. Default: the testing kit's default world. */
  site?: WorldSeed;
  /** Watch and hot-reload the emulator page's own sources (default off: the page is a tool, not the app). */
  watch?: boolean;
  /** The prebuilt emulator page (the installed command); without it the page is served by vite from the sources. */
  pageDir?: string;
}

export interface RunningEmulator {
  emulatorUrl: string;
  /** The emulated site's base URL, as the app learnt it at install (`baseUrl` of the install payload). */
  siteUrl: string;
  /** The emulator's install-key server: the app verifies signed installs with it instead of Atlassian's. */
  installKeysUrl: string;
  install: InstallResult;
  close(): Promise<void>;
}

/**
 * The Confluence emulator hosting a Connect app by its descriptor URL: it installs the app (a signed RS256 install
 * from its own key server), then serves the emulator page that hosts the app's modules, and answers the app's backend
 * on the site's REST API.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? 'localhost';
  const port = options.port === 0 ? await freePort(host) : (options.port ?? 5173);
  const emulatorOrigin = `http://${host}:${port}`;
  let tenantFile: string | undefined;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    tenantFile = path.join(path.resolve(options.dataDir), 'emulator-tenant.json');
  }
  const backend = await createEmulatorBackend({
    emulatorOrigin,
    descriptorUrl: options.descriptorUrl,
    ...(options.site ? { site: options.site } : {}),
    ...(options.actingUser ? { actingUser: options.actingUser } : {}),
    ...(tenantFile ? { tenantFile } : {}),
  });
  const server = options.pageDir
    ? await startPrebuiltEmulatorServer({ backend, pageDir: options.pageDir, host, port })
    : await startEmulatorServer({ backend, host, port, hmr: options.watch ?? false, watch: options.watch ?? false });
  let install: InstallResult;
  try {
    install = await backend.ensureInstalled();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    emulatorUrl: `${emulatorOrigin}/`,
    siteUrl: `${emulatorOrigin}/wiki`,
    installKeysUrl: backend.installKeysUrl,
    install,
    close: () => server.close(),
  };
}
