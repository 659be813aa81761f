// @vitest-environment jsdom
/**
 * The README's complete examples compile, and its development recipe works. A code block preceded by `<!-- example: FILE -->` is a whole file an app
 * can copy unchanged; each is written under dist/readme-examples/ and type-checked with this repository's strict
 * settings, the package names resolving to the sources (tsconfig paths). Blocks without the marker are fragments.
 * (test/package/consumer-types.test.ts also builds the first one against the packed tarball.)
 */
import { screen } from '@testing-library/react';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, run } from './support/build-package.js';
import { readmeExamples } from './support/consumer.js';

const folder = join(repositoryRoot, 'dist', 'readme-examples');
const examples = readmeExamples();

beforeAll(() => {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const example of examples) writeFileSync(join(folder, example.file), example.code);
  const tsconfig = { extends: '../../tsconfig.json', include: ['./*.ts', './*.tsx'] };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('the README marks its complete examples: the first is the app entry, and each file name is unique', () => {
  expect(examples[0]?.file).toBe('main.tsx');
  const files = examples.map((example) => example.file);
  expect(new Set(files).size).toBe(files.length);
  expect(files).toEqual(expect.arrayContaining(['main.tsx', 'dev.tsx', 'PageCard.test.tsx', 'server.ts']));
});

test('every complete README example type-checks (strict)', () => {
  let output = '';
  try {
    run(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      join(folder, 'tsconfig.json'),
      '--pretty',
      'false',
    ]);
  } catch (error) {
    output = String((error as Error).message);
  }
  expect(output.split('\n').filter((line) => /error TS\d+/.test(line))).toEqual([]);
}, 180_000);

test('"See your macro during development": dev.tsx installs the fake host, and the macro shows its page', async () => {
  document.body.innerHTML = '<div id="root"></div>';
  await import(/* @vite-ignore */ join(folder, 'dev.tsx'));
  expect(await screen.findByRole('heading', { name: 'Getting started' }, { timeout: 10_000 })).toBeTruthy();
  expect(document.body.textContent).toContain('Version 7');
}, 20_000);

test('"Test it": the README\'s test file passes, run by Vitest as an app would run it', () => {
  const testFile = examples.find((example) => example.file.endsWith('.test.tsx'));
  expect(testFile).toBeDefined();
  // The package names resolve to the sources here, as in the example app (vite.config.ts does the same).
  const config = `import react from '@vitejs/plugin-react';
const source = (path) => ${JSON.stringify(repositoryRoot)} + '/src/' + path;
export default {
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^confluence-iframe-kit$/, replacement: source('index.ts') },
      { find: /^confluence-iframe-kit\\/react$/, replacement: source('react/index.ts') },
      { find: /^confluence-iframe-kit\\/early$/, replacement: source('react/early/index.ts') },
      { find: /^confluence-iframe-kit\\/testing$/, replacement: source('testing/index.ts') },
      { find: /^confluence-iframe-kit\\/testing\\/core$/, replacement: source('testing/core.ts') },
    ],
  },
  test: { environment: 'jsdom', globals: true, include: [${JSON.stringify(testFile!.file)}] },
};
`;
  writeFileSync(join(folder, 'vitest.config.mjs'), config);
  const output = run(
    process.execPath,
    [join(repositoryRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.config.mjs', '--root', folder],
    folder,
    { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
  );
  expect(output).toMatch(/Tests\s+\S*\d+ passed/);
  expect(output).not.toMatch(/failed/);
}, 120_000);
