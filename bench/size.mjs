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
  // The script an app loads before its bundle to start host calls before React (it shares the client with the bundle).
  early: 'export * from "./src/react/early/index.ts";',
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

\`node bench/size.mjs --check\` measures these rows and fails any row over its budget; the package tests run it (\`test/package/size-budget.test.ts\`). The budgets are decided: read-only macro 10,560 B, root 5,700 B, root + react 16,550 B. New bytes fit inside or pay for themselves (rarely shown parts load lazily); readable code wins any tie: a name or a construct is never shortened for bytes. What each part costs: src/client/README.md ("Bundle size").

${budgetTable}

### Every entry, for reference

"react" counts only the React layer's own code (in the published package it imports the client through the root entry, a shared chunk). The development row is what a dev server or test run ships (it keeps the development-only descriptor scope check). Where the root entry's bytes go: src/client/README.md, "Bundle size".

${entryTable}
`,
    );
  }
}
