/**
 * The public surface of every entry, as the built package has it: the runtime exports of dist/lib and the type-only
 * exports of dist/types, sorted, compared with the committed files in test/package/public-exports/. A change to the
 * surface is then a deliberate diff in review.
 *
 * After an intended change, regenerate the files (and read the diff):
 *   npm run update:exports     (= npx vitest run test/package/public-exports.test.ts -u)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { buildPackageOnce, repositoryRoot, run } from './support/build-package.js';

const pkg = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, { types: string; import: string } | string>;
};
const entries = Object.keys(pkg.exports).filter((entry) => entry !== './package.json');

function snapshotFileName(entry: string): string {
  if (entry === '.') return 'public-exports/root.txt';
  return `public-exports/${entry.slice(2).replaceAll('/', '-')}.txt`;
}

function targetsOf(entry: string): { types: string; import: string } {
  const target = pkg.exports[entry];
  if (target === undefined || typeof target === 'string')
    throw new Error(`${entry}: expected { types, import }, got ${target}`);
  return { types: join(repositoryRoot, target.types), import: join(repositoryRoot, target.import) };
}

/** The names each built module exports at run time, from a plain Node process (no vite transform in between). */
function runtimeExports(): Map<string, string[]> {
  const files = entries.map((entry) => targetsOf(entry).import);
  const script = `const names = [];
for (const file of ${JSON.stringify(files)}) names.push(Object.keys(await import(file)).sort());
console.log(JSON.stringify(names));`;
  const names = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script])) as string[][];
  return new Map(entries.map((entry, index) => [entry, names[index]!]));
}

/** Every name each entry's .d.ts exports, with whether it is a value (has a run-time side) or a type only. */
function declaredExports(): Map<string, { name: string; kind: 'value' | 'type' }[]> {
  const files = entries.map((entry) => targetsOf(entry).types);
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, { name: string; kind: 'value' | 'type' }[]>();
  entries.forEach((entry, index) => {
    const sourceFile = program.getSourceFile(files[index]!);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (moduleSymbol === undefined) throw new Error(`${entry}: no module at ${files[index]}`);
    const names = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const kind: 'value' | 'type' = target.flags & ts.SymbolFlags.Value ? 'value' : 'type';
      return { name: symbol.getName(), kind };
    });
    result.set(
      entry,
      names.sort((left, right) => (left.name < right.name ? -1 : 1)),
    );
  });
  return result;
}

let runtime: Map<string, string[]>;
let declared: Map<string, { name: string; kind: 'value' | 'type' }[]>;

beforeAll(async () => {
  await buildPackageOnce();
  runtime = runtimeExports();
  declared = declaredExports();
}, 180_000);

describe.each(entries)('%s', (entry) => {
  test('its .d.ts declares exactly the values its module exports', () => {
    const declaredValues = declared
      .get(entry)!
      .filter((exported) => exported.kind === 'value')
      .map((exported) => exported.name)
      .sort();
    expect(declaredValues).toEqual(runtime.get(entry));
  });

  test('its sorted export names match the committed snapshot', async () => {
    const exported = declared.get(entry)!;
    const values = exported.filter((item) => item.kind === 'value').length;
    const importName = entry === '.' ? pkg.name : pkg.name + entry.slice(1);
    const lines = [
      `# ${importName}: ${values} runtime exports, ${exported.length - values} type-only exports`,
      ...exported.map((item) => `${item.kind} ${item.name}`),
    ];
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot(snapshotFileName(entry));
  });
});
