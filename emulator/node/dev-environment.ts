import path from 'node:path';
import { startAppOrigin, type AppHandlerTools, type AppPages, type NodeHandler } from './app-origin';
import type { EmulatorBackend } from './emulator-api';
import { prepareDataFolder } from './data-folder';
import { REPO_ROOT } from './emulator-server';
import { freePort } from './ports';
import { prepareEmulator, type RunningEmulator } from './start-emulator';

/** What the emulator hands the app it hosts, so the app's backend can trust the emulator in development. */
export interface HostedAppTools extends AppHandlerTools {
  /** The app's own public URL (its descriptor's baseUrl). */
  appUrl: string;
  /** The emulator page's origin: the only one that may frame the app. */
  emulatorOrigin: string;
  /** Where the app keeps its data. */
  dataDir: string;
  /** The emulator's install-key server: the app verifies signed installs with it instead of Atlassian's. */
  installKeysUrl: string;
  /** The emulator's Forge invocation service (FIT minting, JWKS) for the app's Forge remote (apps with `forge`). */
  forgeRemote: EmulatorBackend['forge'];
  log: (message: string) => void;
}

/** The app the emulator hosts: its pages (served through vite) and its backend. */
export interface HostedApp {
  pages: AppPages;
  /** Where the backend serves the Connect descriptor, relative to the app URL. Default `/atlassian-connect.json`. */
  descriptorPath?: string;
  /** Parameters a macro starts with on the emulated page, by module key (over the descriptor's `defaultValue`s). */
  macroParameters?: Record<string, Record<string, string>>;
  /**
   * The app's Forge side, for the emulator's Forge mode (paths relative to the app URL): where its Custom UI
   * resources mirror the Connect module routes, and where its Forge remote answers `invokeRemote`.
   */
  forge?: { customUiPath: string; remotePath: string };
  createHandler(tools: HostedAppTools): Promise<{ handler: NodeHandler; close(): Promise<void> }>;
}

/**
 * `npm run dev` and the browser tests both start exactly this: the app on one origin and the Confluence emulator page
 * on another, then install the app into the emulator.
 */
export interface DevEnvironmentOptions {
  /** The app to host. */
  app: HostedApp;
  /** 0 picks a free port. Defaults: app 3000, emulator 5173. */
  appPort?: number;
  emulatorPort?: number;
  host?: string;
  /** Where the app keeps its SQLite tenant store. Default ./data. */
  dataDir?: string;
  /** Hot reload (default on). The vite client is injected either way, so turning it off only produces socket errors. */
  hmr?: boolean;
  /**
   * Watch source files (default on). Tests turn it off: an edit elsewhere in the repo during a run would
   * hot-reload the app iframe under a running test.
   */
  watch?: boolean;
  /** The app server's log lines (default: console). */
  log?: (message: string) => void;
}

export interface DevEnvironment {
  emulatorUrl: string;
  appUrl: string;
  /** The running emulator, as the emulate command has it (its URLs, install outcome). */
  emulator: RunningEmulator;
  close(): Promise<void>;
}

export { REPO_ROOT };

export async function startDevEnvironment(opts: DevEnvironmentOptions): Promise<DevEnvironment> {
  const host = opts.host ?? 'localhost';
  const appPort = opts.appPort === 0 ? await freePort(host) : (opts.appPort ?? 3000);
  const appUrl = `http://${host}:${appPort}`;
  const dataDir = path.resolve(opts.dataDir ?? path.join(REPO_ROOT, 'data'));
  await prepareDataFolder(dataDir);

  // The emulate command's own code path (start-emulator.ts), prepared first: the app needs the emulator's key
  // server and Forge JWKS before it starts, and the emulator installs the app once both listen.
  const emulator = await prepareEmulator({
    descriptorUrl: appUrl + (opts.app.descriptorPath ?? '/atlassian-connect.json'),
    host,
    port: opts.emulatorPort ?? 5173,
    ...(opts.app.macroParameters ? { macroParameters: opts.app.macroParameters } : {}),
    ...(opts.app.forge
      ? {
          forgeApp: {
            customUiBaseUrl: appUrl + opts.app.forge.customUiPath,
            remoteBaseUrl: appUrl + opts.app.forge.remotePath,
          },
        }
      : {}),
    hmr: opts.hmr ?? true,
    watch: opts.watch ?? true,
  });

  const app = await startAppOrigin({
    root: REPO_ROOT,
    pages: opts.app.pages,
    host,
    port: appPort,
    emulatorOrigin: emulator.emulatorOrigin,
    hmr: opts.hmr ?? true,
    watch: opts.watch ?? true,
    createAppHandler: (tools) =>
      opts.app.createHandler({
        ...tools,
        appUrl,
        emulatorOrigin: emulator.emulatorOrigin,
        dataDir,
        installKeysUrl: emulator.installKeysUrl,
        forgeRemote: emulator.forge,
        log: opts.log ?? ((message) => console.log(`[app] ${message}`)),
      }),
  });

  // Installs on start, like "Upload app" in Confluence; the page retries through /__emulator/config if it failed.
  let running: RunningEmulator;
  try {
    running = await emulator.listen();
  } catch (error) {
    await app.close();
    throw error;
  }
  if (!running.install.ok) {
    console.warn(`[emulator] install failed (${running.install.status}): ${running.install.detail ?? ''}`);
  }

  return {
    emulatorUrl: running.emulatorUrl,
    appUrl,
    emulator: running,
    async close() {
      await running.close();
      await app.close();
    },
  };
}
