/**
 * A fresh app folder that has installed the packed tarball, as an app team's would be: the tarball is packed with
 * `npm pack` and unpacked into node_modules/confluence-iframe-kit (no registry, no network). The packages the app
 * itself would install next to it (the kit's dependency, its peers, React's types, the bundler) are links into this
 * repository's node_modules, which `npm ci` filled; nothing else of the repository is visible, so an undeclared
 * import in the shipped files fails to resolve here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repositoryRoot, run } from './build-package.js';

/** What a Vite + React + TypeScript app that uses every entry of the kit has in its node_modules. */
const CONSUMER_PACKAGES = [
  // the kit's own dependency
  'jose',
  // peers of the entries
  'react',
  'react-dom',
  '@tanstack/react-query',
  'msw',
  '@testing-library/react',
  '@testing-library/dom',
  'better-sqlite3',
  'pg',
  // the app's types and tools
  '@types/react',
  '@types/react-dom',
  '@types/node',
  '@types/better-sqlite3',
  '@types/pg',
  'vite',
  '@vitejs/plugin-react',
];

/** Packs the package (dist must be built) and returns the tarball's path inside `destination`. */
export function packTarball(destination: string): string {
  // --ignore-scripts: prepack would build again; the caller built what is under test.
  const report = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination])) as [
    { filename: string },
  ];
  return join(destination, report[0].filename);
}

export interface Consumer {
  folder: string;
  write(path: string, contents: string): void;
  remove(): void;
}

/** Creates an app folder with the kit unpacked from `tarball` and the app's other packages linked. */
export function createConsumer(tarball: string, packageJson: Record<string, unknown>): Consumer {
  const folder = mkdtempSync(join(tmpdir(), 'cik-app-'));
  const installed = join(folder, 'node_modules', 'confluence-iframe-kit');
  mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const name of CONSUMER_PACKAGES) {
    const link = join(folder, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repositoryRoot, 'node_modules', name), link, 'dir');
  }
  const write = (path: string, contents: string) => {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), contents);
  };
  write('package.json', JSON.stringify({ name: 'my-confluence-app', private: true, ...packageJson }, null, 2));
  return { folder, write, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The README's code blocks marked `<!-- example: FILE -->`: complete files an app can copy unchanged. */
export function readmeExamples(): { file: string; code: string }[] {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const marked = /<!-- example: (\S+) -->\s*```(?:tsx|ts)\n([\s\S]*?)```/g;
  return [...readme.matchAll(marked)].map((match) => ({ file: match[1]!, code: match[2]! }));
}
