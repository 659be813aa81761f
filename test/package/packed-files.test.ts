/**
 * What `npm pack` puts in the tarball: the library build, its types, the docs (markdown guides and the images they
 * show), README, LICENSE and package.json, nothing else (no example app, no emulator sources, no tests). A built dev
 * tool may ship under dist/emulator or dist/bin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackageOnce, repositoryRoot, run } from './support/build-package.js';

interface PackedFile {
  path: string;
  size: number;
}

const ALLOWED_TOP_LEVEL_FILES = new Set(['package.json', 'README.md', 'LICENSE']);
const ALLOWED_FOLDERS = ['dist/lib/', 'dist/types/', 'dist/emulator/', 'dist/bin/', 'docs/'];

let packedPaths: string[];

beforeAll(async () => {
  await buildPackageOnce();
  // --ignore-scripts: prepack would build again; the build above is the one under test.
  const report = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'])) as [
    { files: PackedFile[] },
  ];
  packedPaths = report[0].files.map((file) => file.path).sort();
});

test('the tarball holds only dist/lib, dist/types, dist/emulator, docs, README.md, LICENSE and package.json', () => {
  const unexpected = packedPaths.filter(
    (path) => !ALLOWED_TOP_LEVEL_FILES.has(path) && !ALLOWED_FOLDERS.some((folder) => path.startsWith(folder)),
  );
  expect(unexpected).toEqual([]);
  for (const required of ALLOWED_TOP_LEVEL_FILES) expect(packedPaths).toContain(required);
});

test('dist/lib holds only modules and their source maps, dist/types only declarations', () => {
  const libFiles = packedPaths.filter((path) => path.startsWith('dist/lib/'));
  expect(libFiles.filter((path) => !/\.js(\.map)?$/.test(path))).toEqual([]);
  const typeFiles = packedPaths.filter((path) => path.startsWith('dist/types/'));
  expect(typeFiles.filter((path) => !path.endsWith('.d.ts'))).toEqual([]);
  const docFiles = packedPaths.filter((path) => path.startsWith('docs/'));
  expect(docFiles.filter((path) => !/\.(md|png)$/.test(path))).toEqual([]);
});

test('every file the exports map names is in the tarball', () => {
  const pkg = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') {
      expect(packedPaths, entry).toContain(target.replace(/^\.\//, ''));
      continue;
    }
    const { types, import: module } = target as { types: string; import: string };
    expect(packedPaths, `${entry} types`).toContain(types.replace(/^\.\//, ''));
    expect(packedPaths, `${entry} module`).toContain(module.replace(/^\.\//, ''));
  }
});

test('no example, emulator source or test leaks into the library or its types', () => {
  // dist/emulator is the emulate command's own build; the library (dist/lib, dist/types) must not reach into it.
  const library = packedPaths.filter((path) => /^dist\/(lib|types)\//.test(path));
  expect(
    library.filter((path) => /(^|\/)(examples?|emulator|test)\//.test(path.replace(/^dist\/(lib|types)\//, ''))),
  ).toEqual([]);
  expect(packedPaths.filter((path) => path.endsWith('.test.d.ts'))).toEqual([]);
});

test('package.json points at the repository, so links in the README resolve outside it', () => {
  const pkg = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
  expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  expect(pkg.homepage).toMatch(/^https:\/\//);
  expect(pkg.bugs.url).toMatch(/^https:\/\/.+\/issues$/);
  expect(pkg.license).toBe('MIT');
  expect(readFileSync(join(repositoryRoot, 'LICENSE'), 'utf8')).toContain('MIT License');
});

test('the README links absolute URLs, its own headings or the docs it ships (test/package/docs-links.test.ts)', () => {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  expect(targets.length).toBeGreaterThan(0);
  expect(targets.filter((target) => !/^(https:\/\/|#|docs\/[\w-]+\.md(#[\w-]+)?$)/.test(target))).toEqual([]);
});
