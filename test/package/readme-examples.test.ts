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
