import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { createAtlassianConnectFiles, emulatedAllJs } from './atlassian-connect-files';
import { buildForgeShim, FORGE_SHIM_PATH, withForgeShim } from './forge-shim-script';
import { createRequestGuard } from './request-guard';

/**
 * The app origin in development: one Node http server that
 *  1. serves Atlassian's real all.js (`atlassian-connect-js/dist/iframe.js`, straight from node_modules) at
 *     `/atlassian-connect/all.js`, a path all.js recognises, so `data-options` on the script tag take effect,
 *     and the theme stylesheets all.js would link from Atlassian's CDN (see atlassian-connect-files.ts);
 *  2. hands everything else to the app handler (the hosted app's server: descriptor, lifecycle, JWT-verified module
 *     routes, /api/verify), which falls back to vite in middleware mode for the app's modules.
 * The module routes answer the app's HTML through `renderAppHtml`, which runs vite's HTML transform; the Forge
 * Custom UI routes answer the app's Forge page through `renderForgeHtml`, with the emulator's Forge bridge shim
 * (`/forge-bridge-emulator.js`, served here only) as its first script.
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface AppHandlerTools {
  renderAppHtml(url: string): Promise<string>;
  renderForgeHtml(url: string): Promise<string>;
  viteMiddleware: NodeMiddleware;
}

/** The app's two pages, relative to `root`: its Connect module page and (optional) Forge Custom UI page. */
export interface AppPages {
  connectHtml: string;
  forgeHtml?: string;
}

export interface AppOriginOptions {
  root: string;
  pages: AppPages;
  host: string;
  port: number;
  /** The emulator page's origin: the only one the Forge bridge shim talks to. */
  emulatorOrigin: string;
  /** Build the app handler once vite is ready. */
  createAppHandler(tools: AppHandlerTools): Promise<{ handler: NodeHandler; close(): Promise<void> }>;
  /** Hot reload over the app server's own socket (dev); off in tests. */
  hmr?: boolean;
  /** Watch files for hot reload (default on). */
  watch?: boolean;
}

export interface AppOrigin {
  url: string;
  close(): Promise<void>;
}

export async function startAppOrigin(opts: AppOriginOptions): Promise<AppOrigin> {
  // all.js on the app's own origin, its CDN stylesheets from there too (the app may load either copy).
  const atlassianConnectFiles = createAtlassianConnectFiles(
    await emulatedAllJs('location.origin + "/atlassian-connect"'),
  );
  const forgeShim = await buildForgeShim(opts.emulatorOrigin);
  const server: Server = createHttpServer();
  const vite: ViteDevServer = await createViteServer({
    root: opts.root,
    configFile: path.join(opts.root, 'vite.config.ts'),
    appType: 'custom',
    // Its own dep cache, and the app's pages crawled up front: a dependency discovered mid-session makes vite reload the
    // iframe, which would detach it under a running test.
    cacheDir: path.join(opts.root, 'node_modules', '.vite', 'app'),
    optimizeDeps: { entries: [opts.pages.connectHtml, ...(opts.pages.forgeHtml ? [opts.pages.forgeHtml] : [])] },
    logLevel: 'warn',
    server: {
      middlewareMode: true,
      hmr: opts.hmr ?? false,
      ws: opts.hmr ? { server } : false,
      ...(opts.watch === false ? { watch: null } : {}),
    },
  });
  const connectHtmlPath = path.join(opts.root, opts.pages.connectHtml);
  const renderAppHtml = async (url: string) => vite.transformIndexHtml(url, await readFile(connectHtmlPath, 'utf8'));
  const forgeHtmlPath = path.join(opts.root, opts.pages.forgeHtml ?? opts.pages.connectHtml);
  const renderForgeHtml = async (url: string) =>
    withForgeShim(await vite.transformIndexHtml(url, await readFile(forgeHtmlPath, 'utf8')));
  const app = await opts.createAppHandler({
    renderAppHtml,
    renderForgeHtml,
    viteMiddleware: (req, res, next) => vite.middlewares(req, res, next),
  });

  const guard = createRequestGuard({ host: opts.host, port: () => opts.port });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!guard.admits(req, res)) return;
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === FORGE_SHIM_PATH) {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.setHeader('cache-control', 'no-cache');
      res.end(forgeShim);
      return;
    }
    if (pathname && atlassianConnectFiles(pathname, res)) return;
    Promise.resolve(app.handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.statusCode = 500;
      res.end(error instanceof Error ? error.message : 'app handler failed');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    url: `http://${opts.host}:${opts.port}`,
    async close() {
      await vite.close();
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
