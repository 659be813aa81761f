// The bundler settings and the size budgets that bench/size.mjs and bench/size-by-export.mjs share, so both scripts
// measure the same way: esbuild (bundle, minified ESM, browser platform), peers and node builtins external,
// `process.env.NODE_ENV` defined as an app's production build defines it, then gzip -9.
import { build, version as esbuildVersion } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

export { esbuildVersion };
export const root = fileURLToPath(new URL('..', import.meta.url));

const GZIP_LEVEL = 9;

/** Everything an app already has (peers), the server's own dependency, and Node's builtins. */
export const external = [
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

/**
 * What apps ship, in bytes after minify + gzip -9: the decided budgets. Readable code wins any tie: never shorten a
 * name or a construct to meet these; new bytes fit inside or pay for themselves (load rarely shown parts lazily).
 */
export const budgets = [
  {
    name: 'read-only macro: ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState (+ the client)',
    contents:
      'export { ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState } from "./src/react/index.ts";',
    maxBytes: 10_560,
  },
  {
    name: 'root client entry alone',
    contents: 'export * from "./src/index.ts";',
    maxBytes: 5_700,
  },
  {
    name: 'everything in root + ./react',
    contents: 'export * from "./src/index.ts"; export * from "./src/react/index.ts";',
    maxBytes: 16_550,
  },
];

/**
 * Bundles `contents` (an ES module source resolved from the repository root) and measures it.
 * @param {string} contents
 * @param {{ plugins?: import('esbuild').Plugin[], nodeEnv?: 'production' | 'development' }} [options]
 * @returns {Promise<{ min: number, gz: number }>}
 */
export async function measure(contents, { plugins = [], nodeEnv = 'production' } = {}) {
  const result = await build({
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
    define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: GZIP_LEVEL }).length };
}

/** "ok" or "**over**" for a measured size against its budget. */
export function verdict(gz, maxBytes) {
  if (gz <= maxBytes) return 'ok';
  return '**over**';
}

/**
 * Prints each row over its budget, and returns whether any is (the check then fails).
 * @param {{ name: string, gz: number, maxBytes?: number }[]} rows
 */
export function reportBudgets(rows) {
  let failed = false;
  for (const row of rows) {
    if (row.maxBytes === undefined || row.gz <= row.maxBytes) continue;
    failed = true;
    console.error(`over its budget: ${row.name}: ${row.gz} B > ${row.maxBytes} B`);
  }
  return failed;
}
