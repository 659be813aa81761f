import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

// Everything a consumer already has (peers) or that belongs to Node stays out of the library bundles.
const external = [
  'react',
  /^react\//,
  'react-dom',
  /^react-dom\//,
  // The testing kit's renderWithConfluence uses the app team's own Testing Library (an optional peer).
  /^@testing-library\//,
  '@tanstack/react-query',
  '@forge/bridge',
  'jose',
  'better-sqlite3',
  'pg',
  'msw',
  /^msw\//,
  /^node:/,
  ...builtinModules,
];

// The example app (and the README's example test) import only the public package names; here they resolve to the sources.
const fromRoot = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const alias = [
  { find: /^confluence-iframe-kit$/, replacement: fromRoot('./src/index.ts') },
  { find: /^confluence-iframe-kit\/react$/, replacement: fromRoot('./src/react/index.ts') },
  { find: /^confluence-iframe-kit\/early$/, replacement: fromRoot('./src/react/early/index.ts') },
  { find: /^confluence-iframe-kit\/server$/, replacement: fromRoot('./src/server/index.ts') },
  { find: /^confluence-iframe-kit\/testing$/, replacement: fromRoot('./src/testing/index.ts') },
  { find: /^confluence-iframe-kit\/testing\/core$/, replacement: fromRoot('./src/testing/core.ts') },
];

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  resolve: { alias },
  // `vite` (dev) serves index.html: the Confluence emulator host page (emulator/main.ts).
  server: {
    port: 5173,
    strictPort: false,
    // Both dev origins (the emulator page and the app) answer only their own pages: no CORS headers, so another
    // http://localhost:* page cannot read the emulator's tokens or the app's answers (vite's default would let it).
    cors: false,
    // Only localhost, loopback addresses and the configured host: a page whose name is made to resolve to this
    // machine (DNS rebinding) is refused. emulator/node/request-guard.ts narrows it to loopback names and the port.
    allowedHosts: [],
    // Both dev origins serve from the repo root: never the tenant store or its key (data/), whatever DATA_DIR is.
    fs: { deny: ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', 'data/**', '**/*.db', '**/*.db-*', '**/*.key'] },
  },
  build:
    mode === 'app'
      ? {
          // `vite build --mode app`: the example's web app that its server serves in production. Never in the package.
          outDir: 'dist/example/app',
          emptyOutDir: true,
          rollupOptions: { input: { app: 'examples/page-list-macro/web/index.html' } },
        }
      : {
          outDir: 'dist/lib',
          emptyOutDir: true,
          // public/ is the emulator page's folder: none of it belongs in the library package.
          copyPublicDir: false,
          sourcemap: true,
          lib: {
            formats: ['es'],
            entry: {
              index: 'src/index.ts',
              react: 'src/react/index.ts',
              // Host calls before React: loaded by the app's index.html ahead of its bundle.
              early: 'src/react/early/index.ts',
              server: 'src/server/index.ts',
              testing: 'src/testing/index.ts',
              // The React-free part of the kit, for backend tests (token minting) and pages without React.
              'testing-core': 'src/testing/core.ts',
            },
          },
          rollupOptions: { external },
        },
  test: {
    globals: true,
    projects: [
      { extends: true, test: { name: 'client', include: ['test/client/**/*.test.{ts,tsx}'], environment: 'node' } },
      { extends: true, test: { name: 'react', include: ['test/react/**/*.test.{ts,tsx}'], environment: 'jsdom' } },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'example',
          include: ['examples/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'package', include: ['test/package/**/*.test.ts'], environment: 'node', hookTimeout: 180_000 },
      },
      {
        extends: true,
        test: {
          // The emulator's Node side without a browser (Host and origin checks, the data folder, Forge resolvers).
          name: 'emulator',
          include: ['test/emulator/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      { extends: true, test: { name: 'testing', include: ['test/testing/**/*.test.{ts,tsx}'], environment: 'jsdom' } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
}));
