import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import type { EmulatorBackend } from './emulator-api';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface EmulatorServer {
  close(): Promise<void>;
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
      hmr: options.hmr ?? true,
      ...(options.watch === false ? { watch: null } : {}),
    },
    plugins: [
      {
        name: 'confluence-emulator-api',
        configureServer(vite) {
          vite.middlewares.use((req, res, next) => options.backend.middleware(req, res, next));
        },
      },
    ],
  });
  await server.listen();
  return { close: () => server.close() };
}
