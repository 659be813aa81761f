import path from 'node:path';
import type { RequestHandler } from 'msw';
import type { WorldSeed } from '../../src/testing/core';
import type { Latency } from '../latency';
import { startCustomUiOrigin, type CustomUiOrigin } from './custom-ui-origin';
import { prepareDataFolder } from './data-folder';
import { createEmulatorBackend, type EmulatorBackend } from './emulator-api';
import { startEmulatorServer, startPrebuiltEmulatorServer } from './emulator-server';
import type { ForgeManifest } from './forge-manifest';
import type { InstallResult } from './install';
import { freePort } from './ports';

export interface EmulatorOptions {
  /** The Connect app's descriptor, e.g. http://localhost:3000/atlassian-connect.json. Optional with `forgeManifest`. */
  descriptorUrl?: string;
  /**
   * A Forge app's manifest (`emulate --forge`): its Custom UI resources are served from an origin of the emulator's
   * own, its modules listed on the page, its remotes reached with invocation tokens the emulator signs.
   */
  forgeManifest?: ForgeManifest;
  /** A hosted app that serves its own Custom UI and remote (our example app): their base URLs. */
  forgeApp?: { customUiBaseUrl: string; remoteBaseUrl: string };
  /** Parameters a macro starts with on the page, by module key (over the descriptor's `defaultValue`s). */
  macroParameters?: Record<string, Record<string, string>>;
  /**
   * msw handlers for endpoints the emulated site lacks (`emulate --handlers`): they answer the app's REST calls
   * (iframes and backend) before the site does.
   */
  handlers?: readonly RequestHandler[];
  /** 0 picks a free port. Default 5173. */
  port?: number;
  host?: string;
  /**
   * Where the emulator keeps the tenant across runs (a restart re-installs the same tenant). Default: nowhere. It is
   * written with a `.gitignore` of its own (`*`): the tenant's shared secret is in it.
   */
  dataDir?: string;
  /** Who acts when the page URL names nobody: a seed user name (`editor`) or an accountId. */
  actingUser?: string;
  /** The emulated site's content, as `createWorld` takes it. Default: the testing kit's default world. */
  site?: WorldSeed;
  /**
   * How long the emulated site takes to answer each REST call, in ms, or a range to draw from (`{ min, max }`):
   * the site's `latencyMs`, for the page's site (the iframes' calls, the backend's calls the page answers) and the
   * Node half's copy alike. Default: the site's own (none).
   */
  latencyMs?: Latency;
  /** Watch and hot-reload the emulator page's own sources (default off: the page is a tool, not the app). */
  watch?: boolean;
  /** Hot reload over vite's socket (default: as `watch`). */
  hmr?: boolean;
  /** The prebuilt emulator page (the installed command); without it the page is served by vite from the sources. */
  pageDir?: string;
  /** Where a Forge function's failure (its error and stack) is printed. Default: the console. */
  output?: { error(line: string): void };
}

export interface RunningEmulator {
  emulatorUrl: string;
  /** The emulated site's base URL, as the app learnt it at install (`baseUrl` of the install payload). */
  siteUrl: string;
  /** The emulator's install-key server: the app verifies signed installs with it instead of Atlassian's. */
  installKeysUrl: string;
  /** The emulator's authorization server (JWT bearer grant): where an app that acts as users sends its grants. */
  authorizationServerUrl: string;
  /** Forge mode: the app id the invocation tokens name (`aud`), their JWKS, and where Custom UI is served. */
  forge?: { appId: string; jwksUrl: string; customUiUrl: string };
  install: InstallResult;
  close(): Promise<void>;
}

/** The emulator before it listens: what an app needs to trust it (its key server, its Forge JWKS) is known already. */
export interface PreparedEmulator {
  emulatorOrigin: string;
  installKeysUrl: string;
  forge: EmulatorBackend['forge'];
  /** Starts serving the page (and the Custom UI origin), then installs the app. */
  listen(): Promise<RunningEmulator>;
}

/**
 * The emulator, prepared but not yet serving: `npm run dev` starts its app with the emulator's key server and JWKS
 * in hand, then calls `listen()`; the command calls `startEmulator`, which does both.
 */
export async function prepareEmulator(options: EmulatorOptions): Promise<PreparedEmulator> {
  if (!options.descriptorUrl && !options.forgeManifest)
    throw new Error('a descriptor URL or a Forge manifest is needed');
  const host = options.host ?? 'localhost';
  const port = options.port === 0 ? await freePort(host) : (options.port ?? 5173);
  const emulatorOrigin = `http://${host}:${port}`;
  let tenantFile: string | undefined;
  let forgeStorageFile: string | undefined;
  if (options.dataDir) {
    await prepareDataFolder(options.dataDir);
    tenantFile = path.join(path.resolve(options.dataDir), 'emulator-tenant.json');
    forgeStorageFile = path.join(path.resolve(options.dataDir), 'forge-storage.json');
  }
  // Custom UI from a manifest lives on an origin of its own, known before the backend lists the modules.
  const customUiPort = options.forgeManifest ? await freePort(host) : undefined;
  const customUiBaseUrl = customUiPort === undefined ? undefined : `http://${host}:${customUiPort}`;
  let forge: { customUiBaseUrl: string; remoteBaseUrl?: string; manifest?: ForgeManifest } | undefined;
  if (options.forgeManifest && customUiBaseUrl) forge = { customUiBaseUrl, manifest: options.forgeManifest };
  else if (options.forgeApp) forge = options.forgeApp;
  // The latency is the site's: both copies of the site (the page's, the Node half's) are made from this seed.
  const site: WorldSeed | undefined =
    options.latencyMs === undefined ? options.site : { ...options.site, latencyMs: options.latencyMs };
  const backend = await createEmulatorBackend({
    emulatorOrigin,
    ...(options.descriptorUrl ? { descriptorUrl: options.descriptorUrl } : {}),
    ...(site ? { site } : {}),
    ...(options.actingUser ? { actingUser: options.actingUser } : {}),
    ...(options.macroParameters ? { macroParameters: options.macroParameters } : {}),
    ...(options.handlers ? { extraHandlers: options.handlers } : {}),
    ...(tenantFile ? { tenantFile } : {}),
    ...(forgeStorageFile ? { forgeStorageFile } : {}),
    ...(options.output ? { output: options.output } : {}),
    ...(forge ? { forge } : {}),
  });

  async function listen(): Promise<RunningEmulator> {
    let customUi: CustomUiOrigin | undefined;
    if (options.forgeManifest && customUiPort !== undefined) {
      customUi = await startCustomUiOrigin({
        manifest: options.forgeManifest,
        emulatorOrigin,
        host,
        port: customUiPort,
      });
    }
    const server = await (
      options.pageDir
        ? startPrebuiltEmulatorServer({ backend, pageDir: options.pageDir, host, port })
        : startEmulatorServer({
            backend,
            host,
            port,
            hmr: options.hmr ?? options.watch ?? false,
            watch: options.watch ?? false,
          })
    ).catch(async (error: unknown) => {
      await customUi?.close();
      throw error;
    });
    const close = async () => {
      await backend.close();
      await server.close();
      await customUi?.close();
    };
    let install: InstallResult;
    try {
      install = await backend.ensureInstalled();
    } catch (error) {
      await close();
      throw error;
    }
    return {
      emulatorUrl: `${emulatorOrigin}/`,
      siteUrl: `${emulatorOrigin}/wiki`,
      installKeysUrl: backend.installKeysUrl,
      authorizationServerUrl: backend.authorizationServerUrl,
      ...(backend.forge && forge ? { forge: { ...backend.forge, customUiUrl: forge.customUiBaseUrl } } : {}),
      install,
      close,
    };
  }

  return { emulatorOrigin, installKeysUrl: backend.installKeysUrl, forge: backend.forge, listen };
}

/**
 * The Confluence emulator hosting a Connect app by its descriptor URL and/or a Forge app by its manifest: it installs
 * the Connect app (a signed RS256 install from its own key server), serves the emulator page that hosts the app's
 * modules (and a Forge app's Custom UI resources), and answers the app's backend on the site's REST API.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  return (await prepareEmulator(options)).listen();
}
