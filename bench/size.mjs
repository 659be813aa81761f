// Bundle size of every public entry: esbuild (bundle, minified ESM, peers + node builtins external), then gzip -9.
// Usage: node bench/size.mjs [--write]   (--write updates the bench:size section of BENCHMARKS.md)
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { builtinModules } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeSection } from './write-section.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = [
  'react',
  'react-dom',
  'react-dom/*',
  'react/jsx-runtime',
  '@tanstack/react-query',
  '@forge/bridge',
  'jose',
  'msw',
  'msw/*',
  'better-sqlite3',
  'pg',
  ...builtinModules,
  'node:*',
];
const budgets = { root: 3072, react: 4096, 'root+react': 6144 };
const entries = {
  root: 'export * from "./src/index.ts";',
  react: 'export * from "./src/react/index.ts";',
  server: 'export * from "./src/server/index.ts";',
  testing: 'export * from "./src/testing/index.ts";',
  'root+react': 'export * from "./src/index.ts"; export * from "./src/react/index.ts";',
  // Informational: what a Connect-only / fetch-only app ships after tree-shaking the root entry.
  'root, tree-shaken: client + Connect':
    'export { createConfluenceClient, createConnectTransport, isConfluenceError } from "./src/index.ts";',
  'root, tree-shaken: client + fetch':
    'export { createConfluenceClient, createFetchTransport, isConfluenceError } from "./src/index.ts";',
  // Informational: the root entry as a dev server or test run ships it, with the development-only descriptor scope check.
  'root, development (NODE_ENV=development)': 'export * from "./src/index.ts";',
};
const development = new Set(['root, development (NODE_ENV=development)']);

// In the published package ./react imports the root entry (a shared chunk), so "react" alone counts only its own code:
// imports that land in src/client or src/index.ts are left external there; "root+react" counts both, shared code once.
const rootExternal = {
  name: 'root-external',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (a) => {
      const abs = fileURLToPath(new URL(a.path, 'file://' + a.resolveDir + '/'));
      return /\/src\/(client(\/|$)|index(\.ts)?$)/.test(abs) && !a.importer.includes('/src/client/')
        ? { path: abs, external: true }
        : undefined;
    });
  },
};

async function measure(contents, plugins = [], dev = false) {
  const r = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    plugins,
    logLevel: 'silent',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
  });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const rows = [];
for (const [name, contents] of Object.entries(entries)) {
  const file = contents.match(/"\.\/(src\/[^"]+)"/g).map((m) => m.slice(3, -1));
  if (!file.every((f) => existsSync(root + f))) {
    rows.push({ name, error: 'missing entry' });
    continue;
  }
  try {
    rows.push({ name, ...(await measure(contents, name == 'react' ? [rootExternal] : [], development.has(name))) });
  } catch (e) {
    rows.push({ name, error: String(e.message).split('\n')[0] });
  }
}

const fmt = (r) =>
  r.error
    ? `| ${r.name} | – | – | – | ${r.error} |`
    : `| ${r.name} | ${r.min} | ${r.gz} | ${budgets[r.name] ? `≤ ${budgets[r.name]}` : '–'} | ${budgets[r.name] ? (r.gz <= budgets[r.name] ? 'ok' : '**over**') : ''} |`;
const table = ['| entry | min (B) | min+gz -9 (B) | budget (B) | |', '|---|---:|---:|---:|---|', ...rows.map(fmt)].join(
  '\n',
);
console.log(table);
if (process.argv.includes('--write'))
  writeSection(
    'size',
    `## Bundle size\n\n\`node bench/size.mjs --write\` (esbuild ${(await import('esbuild')).version}, \`--bundle --minify --format=esm\`, peers (react, react-dom, react/jsx-runtime, @tanstack/react-query, @forge/bridge, jose, msw, better-sqlite3, pg) and node builtins external, gzip level 9). "react" counts only the React layer's own code (it imports the client through the root entry); "root+react" is both entries in one bundle, shared code counted once. Every row but the last defines \`process.env.NODE_ENV="production"\`, as an app's production build does; the last is what a dev server or test run ships (it keeps the development-only descriptor scope check). Where the root entry's bytes go: src/client/README.md, "Bundle size".\n\n${table}\n`,
  );
if (rows.some((r) => budgets[r.name] && r.gz > budgets[r.name])) process.exitCode = 1;
