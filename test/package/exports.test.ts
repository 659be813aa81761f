/**
 * The published shape: build the library as `npm run build` does, then import every entry BY ITS PACKAGE NAME from
 * a consumer folder, in a plain Node process (no vite aliases), as an app team's code would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = ['.', './react', './server', './testing', './testing/core'] as const;
let consumer: string;

function run(command: string, args: string[], cwd = root) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error']);
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
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

test.each(entries)('%s has its built module and .d.ts, and imports cleanly by package name', (entry) => {
  const { import: js, types } = pkg.exports[entry];
  expect(existsSync(join(root, js)), js).toBe(true);
  expect(existsSync(join(root, types)), types).toBe(true);
  const name = entry === '.' ? pkg.name : pkg.name + entry.slice(1);
  const out = run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m)))`], consumer);
  expect(JSON.parse(out).length).toBeGreaterThan(3);
});

test('the root entry pulls in neither React nor TanStack Query', () => {
  const seen = run(process.execPath, [
    '--input-type=module',
    '-e',
    `import { createRequire } from 'node:module';
     await import(${JSON.stringify(pkg.name)});
     const loaded = Object.keys(createRequire(import.meta.url).cache);
     console.log(JSON.stringify(loaded));`,
  ], consumer);
  expect(seen).not.toMatch(/node_modules\/(react|@tanstack)\//);
  // Static import graph of the built root entry and its chunks: no bare import of react or TanStack.
  const rootJs = readFileSync(join(root, pkg.exports['.'].import), 'utf8');
  const chunks = [...rootJs.matchAll(/from\s*"\.\/([^"]+)"/g)].map((m) => readFileSync(join(root, 'dist/lib', m[1]!), 'utf8'));
  for (const code of [rootJs, ...chunks]) expect(code).not.toMatch(/from\s*"(react|@tanstack\/react-query)"/);
});

test('the React-free testing core (token minting, REST emulator) loads without React or Testing Library', () => {
  const out = run(process.execPath, [
    '--input-type=module',
    '-e',
    `import { createRequire } from 'node:module';
     const kit = await import(${JSON.stringify(pkg.name + '/testing/core')});
     const loaded = Object.keys(createRequire(import.meta.url).cache);
     console.log(JSON.stringify({ exports: Object.keys(kit), loaded }));`,
  ], consumer);
  const { exports, loaded } = JSON.parse(out) as { exports: string[]; loaded: string[] };
  expect(exports).toEqual(expect.arrayContaining(['mintContextToken', 'mintIframeToken', 'createWorld', 'createConfluenceHandlers']));
  expect(exports).not.toContain('renderWithConfluence');
  expect(loaded.join('\n')).not.toMatch(/node_modules\/(react|react-dom|@testing-library)\//);
  const built = readFileSync(join(root, pkg.exports['./testing/core'].import), 'utf8');
  expect(built).not.toMatch(/from\s*"(react|@testing-library\/react)"/);
});

test('the client root entry exports the documented API', () => {
  const out = run(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(pkg.name)}))))`], consumer);
  expect(JSON.parse(out)).toEqual(
    expect.arrayContaining(['createConfluenceClient', 'createConnectTransport', 'createForgeTransport', 'createFetchTransport', 'ConfluenceError', 'isConfluenceError']),
  );
});
