/**
 * Types that work everywhere: an app that installed the packed tarball type-checks under the settings app teams use —
 * moduleResolution `bundler` and `nodenext` (with "type": "module"), each with `strict` and
 * `exactOptionalPropertyTypes`, and `skipLibCheck: false` so the shipped .d.ts files are checked too — on this
 * repository's TypeScript (5.9) and on TypeScript 7 (the `typescript7` devDependency). Then a Vite + React build of
 * the README's first example, unchanged.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackageOnce, repositoryRoot, run } from './support/build-package.js';
import { type Consumer, createConsumer, packTarball, readmeExamples } from './support/consumer.js';

const compilers = [
  { name: 'TypeScript 5.9', packageFolder: 'typescript' },
  { name: 'TypeScript 7', packageFolder: 'typescript7' },
] as const;

const settings = {
  bundler: { module: 'ESNext', moduleResolution: 'Bundler' },
  nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
} as const;

/**
 * A consumer's own code over every entry: the calls app teams make first.
 * When `confluenceQueries.*` return TanStack query options, switch `PageTitle` to TanStack's own hook:
 * `const page = useQuery(confluenceQueries.page(id));` with `import { useQuery } from '@tanstack/react-query';`
 */
const USAGE = `import { createConfluenceClient, createFetchTransport, isConfluenceError, type Page } from 'confluence-iframe-kit';
import { QueryClient, useQuery } from '@tanstack/react-query';
import { ConfluenceProvider, RequestState, confluenceQueries } from 'confluence-iframe-kit/react';

export const client = createConfluenceClient({
  transport: createFetchTransport({ baseUrl: 'https://example.atlassian.net' }),
  scopes: ['READ'],
});

export async function readTitle(id: string): Promise<string> {
  try {
    const page: Page = await client.getPage(id);
    return page.title;
  } catch (error) {
    if (isConfluenceError(error)) return error.kind;
    throw error;
  }
}

export const queryClient = new QueryClient();

export function prefetchPage(id: string): Promise<void> {
  return queryClient.prefetchQuery(confluenceQueries.page(id));
}

export function PageTitle({ id }: { id: string }) {
  // TanStack's own hook takes the kit's query options unchanged.
  const page = useQuery(confluenceQueries.page(id));
  return <RequestState query={page}>{(data) => <h1>{data.title.toUpperCase()}</h1>}</RequestState>;
}

export function App() {
  return (
    <ConfluenceProvider client={client} queryClient={queryClient}>
      <PageTitle id="65601" />
    </ConfluenceProvider>
  );
}
`;

/** The backend and test entries: their .d.ts files load (and are checked) through these imports. */
const OTHER_ENTRIES = `import { verifyRequest } from 'confluence-iframe-kit/server';
import { createWorld, renderWithConfluence } from 'confluence-iframe-kit/testing';
import { mintContextToken } from 'confluence-iframe-kit/testing/core';

export type Verify = typeof verifyRequest;
export type Render = typeof renderWithConfluence;
export type Mint = typeof mintContextToken;
export const world = createWorld();
`;

let tarballFolder: string;
let consumer: Consumer;

beforeAll(async () => {
  await buildPackageOnce();
  tarballFolder = mkdtempSync(join(tmpdir(), 'cik-tarball-'));
  consumer = createConsumer(packTarball(tarballFolder), { type: 'module' });
  const firstExample = readmeExamples()[0];
  if (firstExample === undefined) throw new Error('README.md has no code block marked <!-- example: FILE -->');
  consumer.write(`src/${firstExample.file}`, firstExample.code);
  consumer.write('src/usage.tsx', USAGE);
  consumer.write('src/other-entries.ts', OTHER_ENTRIES);
  for (const [name, resolution] of Object.entries(settings)) {
    const compilerOptions = {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx',
      ...resolution,
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    };
    consumer.write(`tsconfig.${name}.json`, JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
  }
}, 180_000);

afterAll(() => {
  consumer?.remove();
  if (tarballFolder) rmSync(tarballFolder, { recursive: true, force: true });
});

/** How to run the compiler inside a package folder of this repository's node_modules; undefined when not installed. */
function compilerCommand(packageFolder: string): { command: string; prefix: string[] } | undefined {
  const folder = join(repositoryRoot, 'node_modules', packageFolder);
  if (!existsSync(join(folder, 'package.json'))) return undefined;
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
    bin: string | Record<string, string>;
  };
  const bin = join(folder, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.tsc!);
  // A JavaScript launcher runs on this Node; a native binary runs by itself.
  const firstLine = readFileSync(bin).subarray(0, 200).toString('latin1').split('\n')[0]!;
  if (/\.[cm]?js$/.test(bin) || firstLine.includes('node')) return { command: process.execPath, prefix: [bin] };
  return { command: bin, prefix: [] };
}

/** Errors in the app's files, in the kit's shipped files, or of the compiler run itself (other packages' .d.ts are not ours to judge). */
function errorsThatAreOurs(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line))
    .filter(
      (line) =>
        line.startsWith('error') || line.startsWith('src/') || line.includes('node_modules/confluence-iframe-kit/'),
    );
}

/**
 * Failures known today, each with where it gets fixed. Any other error fails the test, and so does a known failure
 * that no longer occurs: then delete its entry, so this list only ever shrinks.
 */
/** Errors the published types are known to produce, each with why and where to fix it (none today). */
const KNOWN_FAILURES: { pattern: RegExp; why: string }[] = [];

function unexpectedAndStale(errors: string[]) {
  const unexpected = errors.filter((line) => !KNOWN_FAILURES.some((known) => known.pattern.test(line)));
  const stale = KNOWN_FAILURES.filter((known) => !errors.some((line) => known.pattern.test(line))).map(
    (known) => `no longer fails, delete from KNOWN_FAILURES: ${known.why}`,
  );
  return { unexpected, stale };
}

describe.each(compilers)('$name', ({ name, packageFolder }) => {
  // Both compilers are devDependencies (TypeScript 7 as the `typescript7` alias), so `npm ci` installs them: a
  // missing one is a broken install, not a reason to skip.
  const compiler = compilerCommand(packageFolder);
  test.each(Object.keys(settings))(
    `a consumer type-checks under moduleResolution %s, strict + exactOptionalPropertyTypes`,
    (setting) => {
      if (compiler === undefined)
        throw new Error(`${name} is not installed (node_modules/${packageFolder}): run npm ci`);
      const output = typeCheck(compiler, setting);
      expect(unexpectedAndStale(errorsThatAreOurs(output)), output).toEqual({ unexpected: [], stale: [] });
    },
    300_000,
  );
});

function typeCheck(compiler: { command: string; prefix: string[] }, setting: string): string {
  try {
    run(compiler.command, [...compiler.prefix, '-p', `tsconfig.${setting}.json`, '--pretty', 'false'], consumer.folder);
    return '';
  } catch (error) {
    return String((error as Error).message);
  }
}

test("a Vite + React app builds the README's first example from the installed package", () => {
  consumer.write(
    'vite.config.js',
    "import react from '@vitejs/plugin-react';\nexport default { plugins: [react()] };\n",
  );
  const entry = readmeExamples()[0]!.file;
  consumer.write(
    'index.html',
    `<!doctype html>\n<html><body><div id="root"></div><script type="module" src="/src/${entry}"></script></body></html>\n`,
  );
  run(
    process.execPath,
    [join(repositoryRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    consumer.folder,
    {
      NODE_ENV: 'production',
    },
  );
  expect(existsSync(join(consumer.folder, 'dist/index.html'))).toBe(true);
}, 180_000);
