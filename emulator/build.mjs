/**
 * `npm run build:emulator`: the emulator as the package ships it, under dist/emulator:
 *  - page/: the emulator page (index.html → emulator/main.ts) and its state gallery (states.html →
 *    emulator/states/main.tsx), built by vite;
 *  - cli.js: the `confluence-iframe-kit` command (emulator/bin.ts), one Node bundle with its dependencies inside;
 *  - forge-bridge-emulator.js: the Forge bridge shim for Custom UI iframes (emulator/forge/iframe-bridge.ts), with a
 *    placeholder the command replaces by the emulator origin (see emulator/node/forge-shim-script.ts);
 *  - atlassian-connect/: Atlassian's all.js (`dist/iframe.js`) and its stylesheets, from atlassian-connect-js
 *    (Apache-2.0), so the installed command needs none of our devDependencies.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as buildBundle } from 'esbuild';
import { build as buildPage } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'emulator');
const require = createRequire(import.meta.url);

await rm(outDir, { recursive: true, force: true });

await buildPage({
  root,
  configFile: false,
  logLevel: 'warn',
  publicDir: path.join(root, 'public'),
  build: {
    outDir: path.join(outDir, 'page'),
    emptyOutDir: true,
    rollupOptions: { input: [path.join(root, 'index.html'), path.join(root, 'states.html')] },
  },
});

await buildBundle({
  entryPoints: [path.join(root, 'emulator', 'bin.ts')],
  outfile: path.join(outDir, 'cli.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The prebuilt page is served instead of vite (emulator-server.ts imports vite only for the sources).
  // esbuild builds the Forge shim only from the sources; the command reads the prebuilt shim.
  external: ['vite', 'esbuild', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
  // Bundled CommonJS dependencies may call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The same placeholder as SHIM_ORIGIN_PLACEHOLDER in emulator/node/forge-shim-script.ts.
const SHIM_ORIGIN_PLACEHOLDER = 'http://cik-emulator-origin.invalid';
await buildBundle({
  entryPoints: [path.join(root, 'emulator', 'forge', 'iframe-bridge.ts')],
  outfile: path.join(outDir, 'forge-bridge-emulator.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'none',
  define: { __CIK_EMULATOR_ORIGIN__: JSON.stringify(SHIM_ORIGIN_PLACEHOLDER) },
  logLevel: 'warning',
});

const connectDist = path.dirname(require.resolve('atlassian-connect-js/dist/iframe.js'));
await mkdir(path.join(outDir, 'atlassian-connect'), { recursive: true });
await cp(connectDist, path.join(outDir, 'atlassian-connect'), {
  recursive: true,
  filter: (source) => !source.endsWith('.map') && !source.includes('fedramp') && !source.includes('connect-host'),
});
await cp(
  path.join(root, 'node_modules', 'atlassian-connect-js', 'LICENSE'),
  path.join(outDir, 'atlassian-connect', 'LICENSE'),
);
console.log(`Built ${path.relative(root, outDir)}: page/, cli.js, forge-bridge-emulator.js, atlassian-connect/`);
