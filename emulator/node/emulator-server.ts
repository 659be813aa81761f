import { createServer as createHttpServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf } from './content-types';
import type { EmulatorBackend } from './emulator-api';
import { createRequestGuard } from './request-guard';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface EmulatorServer {
  close(): Promise<void>;
}

/** The page's routes without a file name, as vite's dev server answers them (`npm run dev`): the same here. */
const PAGE_ROUTES = new Map([
  ['/', '/index.html'],
  ['/states', '/states.html'],
]);

/**
 * The emulator origin of the installed command: the prebuilt page (`dist/emulator/page`, built by
 * emulator/build.mjs) as static files, with the backend in front of it. No vite, no build step.
 */
export async function startPrebuiltEmulatorServer(options: {
  backend: EmulatorBackend;
  pageDir: string;
  host: string;
  port: number;
}): Promise<EmulatorServer> {
  const root = path.resolve(options.pageDir);
  const guard = createRequestGuard({ host: options.host, port: () => options.port });
  const server = createHttpServer((req, res) => {
    if (!guard.admits(req, res)) return;
    options.backend.middleware(req, res, () => {
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://emulator.invalid').pathname);
      } catch {
        pathname = '/not-found';
      }
      const file = path.resolve(root, `.${PAGE_ROUTES.get(pathname) ?? pathname}`);
      if (!file.startsWith(root + path.sep) || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      readFile(file).then(
        (content) => {
          res.setHeader('content-type', contentTypeOf(path.extname(file)));
          res.end(content);
        },
        () => {
          res.statusCode = 404;
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The emulator origin: the emulator page (index.html → emulator/main.ts, served by vite from the repository) with
 * the backend in front of it (`/__emulator/`, all.js, the site's REST API).
 */
export async function startEmulatorServer(options: {
  backend: EmulatorBackend;
  host: string;
  port: number;
  /** Hot reload (default on). */
  hmr?: boolean;
  /** Watch source files (default on); tests turn it off. */
  watch?: boolean;
}): Promise<EmulatorServer> {
  // Loaded only here: the installed command serves the prebuilt page and never needs vite.
  const { createServer: createViteServer } = await import('vite');
  const guard = createRequestGuard({ host: options.host, port: () => options.port });
  const server = await createViteServer({
    root: REPO_ROOT,
    configFile: path.join(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    cacheDir: path.join(REPO_ROOT, 'node_modules', '.vite', 'emulator'),
    optimizeDeps: { entries: ['index.html'] },
    server: {
      host: options.host,
      port: options.port,
      strictPort: true,
      // No CORS headers at all: only the emulator page itself (same origin) may read what this server answers, never
      // another origin on localhost (vite's default lets any http://localhost:* page read it).
      cors: false,
      hmr: options.hmr ?? true,
      ...(options.watch === false ? { watch: null } : {}),
    },
    plugins: [
      {
        name: 'confluence-emulator-api',
        configureServer(vite) {
          vite.middlewares.use((req, res, next) => {
            if (guard.admits(req, res)) options.backend.middleware(req, res, next);
          });
        },
      },
    ],
  });
  await server.listen();
  return { close: () => server.close() };
}
