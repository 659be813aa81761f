// What each public export of the root and ./react entries adds to an app that imports everything, and what typical
// apps ship after tree-shaking. Same settings as bench/size.mjs (bench/size-settings.mjs).
// Usage: node bench/size-by-export.mjs [--write]   (--write updates the bench:size-by-export section of BENCHMARKS.md)
// Exits 1 when a budgeted row is over its budget.
import { build } from 'esbuild';
import { budgets, external, measure, reportBudgets, root, verdict } from './size-settings.mjs';
import { writeSection } from './write-section.mjs';

async function gzippedSize(contents) {
  return (await measure(contents)).gz;
}

// Runtime exports only (types cost nothing); read from the built module graph so the list never goes stale.
async function runtimeExports(entry) {
  const result = await build({
    entryPoints: [root + entry],
    bundle: true,
    format: 'esm',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
    jsx: 'automatic',
  });
  return Object.values(result.metafile.outputs)[0].exports.sort();
}

const importNames = (rootNames, reactNames) =>
  `export {${rootNames.join(',')}} from "./src/index.ts"; export {${reactNames.join(',')}} from "./src/react/index.ts";`;

const rootNames = await runtimeExports('src/index.ts');
const reactNames = await runtimeExports('src/react/index.ts');
const everything = await gzippedSize(importNames(rootNames, reactNames));

const exportRows = [];
for (const name of reactNames) {
  const withoutIt = await gzippedSize(
    importNames(
      rootNames,
      reactNames.filter((other) => other !== name),
    ),
  );
  exportRows.push({ name: `react: ${name}`, adds: everything - withoutIt });
}
exportRows.sort((left, right) => right.adds - left.adds);

const [readOnlyMacro, rootAlone, rootPlusReact] = budgets;
const typicalApps = [
  {
    ...readOnlyMacro,
    name: 'a read-only macro: ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState',
  },
  {
    name: '+ editing: useUpdatePage, PermissionGate',
    contents:
      'export { ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState, useUpdatePage, PermissionGate } from "./src/react/index.ts";',
  },
  {
    name: '+ host integration: useConfluenceContext, useMacro, useAutoResize, useTheme',
    contents:
      'export { ConfluenceProvider, useConfluenceQuery, confluenceQueries, RequestState, useUpdatePage, PermissionGate, useConfluenceContext, useMacro, useAutoResize, useTheme } from "./src/react/index.ts";',
  },
  { ...rootAlone, name: 'the root client entry alone' },
  { ...rootPlusReact, name: 'everything (root + ./react)' },
];
const shipped = [];
for (const app of typicalApps) shipped.push({ ...app, gz: await gzippedSize(app.contents) });

const formatBudget = (row) => {
  if (row.maxBytes === undefined) return '– |';
  return `≤ ${row.maxBytes} | ${verdict(row.gz, row.maxBytes)}`;
};
const shippedTable = [
  '| what the app imports (with the client it pulls in) | min+gz -9 (B) | budget (B) | |',
  '|---|---:|---:|---|',
  ...shipped.map((row) => `| ${row.name} | ${row.gz} | ${formatBudget(row)} |`),
].join('\n');
const exportTable = [
  '| export | bytes it adds to "everything" (min+gz) |',
  '|---|---:|',
  ...exportRows.map((row) => `| ${row.name} | ${row.adds} |`),
].join('\n');
console.log(shippedTable + '\n\n' + exportTable);

if (reportBudgets(shipped)) process.exitCode = 1;

if (process.argv.includes('--write')) {
  writeSection(
    'size-by-export',
    `## Bundle size by export

\`node bench/size-by-export.mjs --write\` (settings as above). ESM with \`sideEffects: false\`: an app ships only what it imports. First, what typical apps ship (the budgeted rows are the same as in the table above); then what each \`./react\` export adds on top of all the others (leave it out, measure the difference: shared code is not counted, so the column does not sum to the total). Exports adding under 20 B share their code with others.

${shippedTable}

${exportTable}
`,
  );
}
