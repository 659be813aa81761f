// Bundle size: the budgeted rows (what apps ship), then every public entry for reference.
// Settings and budgets: bench/size-settings.mjs (esbuild minified ESM, peers + node builtins external,
// NODE_ENV=production, gzip -9).
// Usage:
//   node bench/size.mjs            print both tables; exits 1 when a budgeted row is over
//   node bench/size.mjs --check    measure only the budgeted rows; exits 1 when one is over (the package tests run this)
//   node bench/size.mjs --write    also update the bench:size section of BENCHMARKS.md
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { budgets, esbuildVersion, measure, reportBudgets, root, verdict } from './size-settings.mjs';
import { writeSection } from './write-section.mjs';

const checkOnly = process.argv.includes('--check');

const entries = {
  root: 'export * from "./src/index.ts";',
  react: 'export * from "./src/react/index.ts";',
  server: 'export * from "./src/server/index.ts";',
  testing: 'export * from "./src/testing/index.ts";',
  // What a Connect-only / fetch-only app ships after tree-shaking the root entry.
  'root, tree-shaken: client + Connect':
    'export { createConfluenceClient, createConnectTransport, isConfluenceError } from "./src/index.ts";',
  'root, tree-shaken: client + fetch':
    'export { createConfluenceClient, createFetchTransport, isConfluenceError } from "./src/index.ts";',
  // The root entry as a dev server or test run ships it, with the development-only descriptor scope check.
  'root, development (NODE_ENV=development)': 'export * from "./src/index.ts";',
};
const developmentRows = new Set(['root, development (NODE_ENV=development)']);

// In the published package ./react imports the root entry (a shared chunk), so "react" alone counts only its own code:
// imports that land in src/client or src/index.ts are left external there.
const rootEntryExternal = {
  name: 'root-entry-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\./ }, (args) => {
      const absolutePath = fileURLToPath(new URL(args.path, 'file://' + args.resolveDir + '/'));
      const isClientCode = /\/src\/(client(\/|$)|index(\.ts)?$)/.test(absolutePath);
      if (isClientCode && !args.importer.includes('/src/client/')) return { path: absolutePath, external: true };
      return undefined;
    });
  },
};

const budgetRows = [];
for (const budget of budgets) budgetRows.push({ ...budget, ...(await measure(budget.contents)) });

const budgetTable = [
  '| what the app ships | min (B) | min+gz -9 (B) | budget (B) | |',
  '|---|---:|---:|---:|---|',
  ...budgetRows.map(
    (row) => `| ${row.name} | ${row.min} | ${row.gz} | ≤ ${row.maxBytes} | ${verdict(row.gz, row.maxBytes)} |`,
  ),
].join('\n');
console.log(budgetTable);

if (reportBudgets(budgetRows)) process.exitCode = 1;

if (!checkOnly) {
  const entryRows = [];
  for (const [name, contents] of Object.entries(entries)) {
    const files = contents.match(/"\.\/(src\/[^"]+)"/g).map((quoted) => quoted.slice(3, -1));
    if (!files.every((file) => existsSync(root + file))) {
      entryRows.push({ name, error: 'missing entry' });
      continue;
    }
    const plugins = name === 'react' ? [rootEntryExternal] : [];
    const nodeEnv = developmentRows.has(name) ? 'development' : 'production';
    try {
      entryRows.push({ name, ...(await measure(contents, { plugins, nodeEnv })) });
    } catch (error) {
      entryRows.push({ name, error: String(error.message).split('\n')[0] });
    }
  }
  const formatEntryRow = (row) => {
    if (row.error) return `| ${row.name} | – | – | ${row.error} |`;
    return `| ${row.name} | ${row.min} | ${row.gz} | |`;
  };
  const entryTable = [
    '| entry | min (B) | min+gz -9 (B) | |',
    '|---|---:|---:|---|',
    ...entryRows.map(formatEntryRow),
  ].join('\n');
  console.log('\n' + entryTable);

  if (process.argv.includes('--write')) {
    writeSection(
      'size',
      `## Bundle size

\`node bench/size.mjs --write\` (esbuild ${esbuildVersion}, \`--bundle --minify --format=esm\`, peers (react, react-dom, react/jsx-runtime, @tanstack/react-query, @forge/bridge, msw, better-sqlite3, pg), jose and node builtins external, \`process.env.NODE_ENV="production"\`, gzip level 9). Settings and budgets live in \`bench/size-settings.mjs\`.

### Budgets: what apps ship

\`node bench/size.mjs --check\` measures these rows; the package tests run it (\`test/package/size-budget.test.ts\`). Every row is over its decided budget: the rate-limit contract (about 1.3 kB on the root), the TanStack-shaped query options and kept-data states, and the readable rewrite (about 0.6 kB on the root) were required after the budgets were set, and no readable change closes the gap (src/client/README.md, "Bundle size", lists what each part costs). Until the budget's owner decides, the check fails a row over its interim ceiling (the size measured then, plus about 2 %; \`bench/size-settings.mjs\`), so nothing grows unnoticed. The ceilings were raised once, to read-only macro 10,560 B, root 5,700 B, root + react 16,550 B, for the Forge-era React features: the guest / anonymous / unlicensed states (+810 B on the read-only macro, most of it the provider's one host-context read, which lets a state show the right text from its first frame), the Forge theme wait before first render (+152 B), \`emitReadyEvent\` (+138 B) and \`requestRemote\` (+14 B; +259 B on everything). Readable code wins any tie: a name or a construct is never shortened for bytes.

${budgetTable}

### Every entry, for reference

"react" counts only the React layer's own code (in the published package it imports the client through the root entry, a shared chunk). The development row is what a dev server or test run ships (it keeps the development-only descriptor scope check). Where the root entry's bytes go: src/client/README.md, "Bundle size".

${entryTable}
`,
    );
  }
}
