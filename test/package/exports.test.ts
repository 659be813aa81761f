/**
 * The published shape: build the library as `npm run build` does, then import every entry BY ITS PACKAGE NAME from
 * a consumer folder, in a plain Node process (no vite aliases), as an app team's code would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackageOnce } from './support/build-package.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = ['.', './react', './early', './server', './testing', './testing/core'] as const;
let consumer: string;

function run(command: string, args: string[], cwd = root) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  await buildPackageOnce();
  consumer = mkdtempSync(join(tmpdir(), 'cik-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules', pkg.name), 'dir');
  writeFileSync(join(consumer, 'package.json'), '{"type":"module"}');
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

test('package.json: ESM, side-effect free, an exports map of exactly the public entries', () => {
  expect(pkg.type).toBe('module');
  expect(pkg.sideEffects).toBe(false);
  expect(Object.keys(pkg.exports).filter((k) => k !== './package.json')).toEqual([...entries]);
  expect(Object.keys(pkg.peerDependencies)).toEqual(expect.arrayContaining(['react', '@tanstack/react-query']));
  expect(pkg.dependencies?.react).toBeUndefined();
  expect(pkg.dependencies?.['@tanstack/react-query']).toBeUndefined();
});

/**
 * Imports an entry by package name in a fresh Node process from the consumer folder (once per entry): its export
 * names, and the CommonJS modules that got loaded with it (React and Testing Library are CommonJS, so they show).
 */
const loaded = new Map<string, { exports: string[]; loaded: string[] }>();
function loadInConsumer(entry: (typeof entries)[number]) {
  const name = entry === '.' ? pkg.name : pkg.name + entry.slice(1);
  if (!loaded.has(name)) {
    const out = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
       const m = await import(${JSON.stringify(name)});
       console.log(JSON.stringify({ exports: Object.keys(m), loaded: Object.keys(createRequire(import.meta.url).cache) }));`,
      ],
      consumer,
    );
    loaded.set(name, JSON.parse(out));
  }
  return loaded.get(name)!;
}

/** The built entry file and every chunk it imports. */
function builtGraph(entry: (typeof entries)[number]): string[] {
  const code = readFileSync(join(root, pkg.exports[entry].import), 'utf8');
  return [
    code,
    ...[...code.matchAll(/from\s*"\.\/([^"]+)"/g)].map((m) => readFileSync(join(root, 'dist/lib', m[1]!), 'utf8')),
  ];
}

test.each(entries)('%s has its built module and .d.ts, and imports cleanly by package name', (entry) => {
  const { import: js, types } = pkg.exports[entry];
  expect(existsSync(join(root, js)), js).toBe(true);
  expect(existsSync(join(root, types)), types).toBe(true);
  // The exact names are pinned by public-exports.test.ts; here: the entry loads and exports something.
  expect(loadInConsumer(entry).exports.length).toBeGreaterThanOrEqual(2);
});

test('the root entry pulls in neither React nor TanStack Query', () => {
  expect(loadInConsumer('.').loaded.join('\n')).not.toMatch(/node_modules\/(react|@tanstack)\//);
  // Static import graph of the built root entry and its chunks: no bare import of react or TanStack.
  for (const code of builtGraph('.')) expect(code).not.toMatch(/from\s*"(react|@tanstack\/react-query)"/);
});

test('the React-free testing core (token minting, REST emulator) loads without React or Testing Library', () => {
  const { exports, loaded } = loadInConsumer('./testing/core');
  expect(exports).toEqual(
    expect.arrayContaining(['mintContextToken', 'mintIframeToken', 'createWorld', 'createConfluenceHandlers']),
  );
  expect(exports).not.toContain('renderWithConfluence');
  expect(loaded.join('\n')).not.toMatch(/node_modules\/(react|react-dom|@testing-library)\//);
  for (const code of builtGraph('./testing/core')) expect(code).not.toMatch(/from\s*"(react|@testing-library\/react)"/);
});

test('the client root entry exports the documented API', () => {
  expect(loadInConsumer('.').exports).toEqual(
    expect.arrayContaining([
      'createConfluenceClient',
      'createConnectTransport',
      'createForgeTransport',
      'createFetchTransport',
      'ConfluenceError',
      'isConfluenceError',
    ]),
  );
});
