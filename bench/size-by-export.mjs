// What each public export of the root and ./react entries adds to an app that imports everything, and what typical
// apps ship after tree-shaking. Same bundler settings as bench/size.mjs (esbuild, minified ESM, peers external,
// NODE_ENV=production, gzip -9).
// Usage: node bench/size-by-export.mjs [--write]   (--write updates the bench:size-by-export section of BENCHMARKS.md)
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { writeSection } from './write-section.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', '@forge/bridge'];

async function gz(contents) {
  const r = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'silent',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return gzipSync(r.outputFiles[0].contents, { level: 9 }).length;
}

// Runtime exports only (types cost nothing); read from the built module graph so the list never goes stale.
async function runtimeExports(entry) {
  const r = await build({
    entryPoints: [root + entry],
    bundle: true,
    format: 'esm',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
    jsx: 'automatic',
  });
  return Object.values(r.metafile.outputs)[0].exports.sort();
}

const importAll = (rootNames, reactNames) =>
  `export {${rootNames.join(',')}} from "./src/index.ts"; export {${reactNames.join(',')}} from "./src/react/index.ts";`;

const rootNames = await runtimeExports('src/index.ts');
const reactNames = await runtimeExports('src/react/index.ts');
const all = await gz(importAll(rootNames, reactNames));

const rows = [];
for (const name of reactNames)
  rows.push({
    name: `react: ${name}`,
    saved:
      all -
      (await gz(
        importAll(
          rootNames,
          reactNames.filter((n) => n !== name),
        ),
      )),
  });
rows.sort((a, b) => b.saved - a.saved);

const typical = {
  'a read-only macro: ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState':
    'export { ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState } from "./src/react/index.ts";',
  '+ editing: useUpdatePage, PermissionGate':
    'export { ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState, useUpdatePage, PermissionGate } from "./src/react/index.ts";',
  '+ host integration: useConfluenceContext, useMacro, useAutoResize, useTheme':
    'export { ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState, useUpdatePage, PermissionGate, useConfluenceContext, useMacro, useAutoResize, useTheme } from "./src/react/index.ts";',
  'everything (root + ./react)': importAll(rootNames, reactNames),
};
const shipped = [];
for (const [name, contents] of Object.entries(typical)) shipped.push({ name, gz: await gz(contents) });

const table1 = [
  '| what the app imports (with the client it pulls in) | min+gz -9 (B) |',
  '|---|---:|',
  ...shipped.map((r) => `| ${r.name} | ${r.gz} |`),
].join('\n');
const table2 = [
  '| export | bytes it adds to "everything" (min+gz) |',
  '|---|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.saved} |`),
].join('\n');
console.log(table1 + '\n\n' + table2);
if (process.argv.includes('--write'))
  writeSection(
    'size-by-export',
    `## Bundle size by export\n\n\`node bench/size-by-export.mjs --write\` (settings as above). ESM with \`sideEffects: false\`: an app ships only what it imports. First, what typical apps ship; then what each \`./react\` export adds on top of all the others (leave it out, measure the difference: shared code is not counted, so the column does not sum to the total). Exports adding under 20 B share their code with others.\n\n${table1}\n\n${table2}\n`,
  );
