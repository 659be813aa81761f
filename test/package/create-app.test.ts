/**
 * `npm create confluence-iframe-kit` as an app team runs it, on the packed tarballs before anything is published:
 * the create package (packages/create-confluence-iframe-kit) is packed and unpacked, its bin writes each template
 * into an empty folder with `--kit <the kit's tarball>`, then the new app's own `npm install`, `npm test` and
 * `npm run build` must pass. One install per template serves every assertion about that app. The forge app is then
 * started with `npm run dev` and looked at in Chromium: the macro's data as the editor, the refusal as noAccess.
 *
 * Installs use the registry through the npm cache (`--prefer-offline`). Install scripts are skipped: the only one
 * the apps need is better-sqlite3's native build (several minutes of compiling on a small machine), and the
 * repository's own `npm ci` already compiled the same version for this Node, so its binary is copied in; another
 * version is rebuilt.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../browser/support/chromium.js';
import { buildPackageOnce, repositoryRoot, run } from './support/build-package.js';
import { packTarball } from './support/consumer.js';

const CREATE_PACKAGE = join(repositoryRoot, 'packages', 'create-confluence-iframe-kit');
const TEMPLATES = ['forge', 'connect', 'adopted'] as const;
const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;
/** A command of the app (its tests, its build), or the create command itself, on a busy two-core machine. */
const COMMAND_TIMEOUT_MS = 5 * 60 * 1000;

let work: string;
let kitTarball: string;
let createCommand: string;

/**
 * The environment of the app's own npm commands: this run's (PATH, HOME, the npm cache) without what vitest and an
 * outer `npm test` set for themselves, which would change how the app's vitest and npm behave.
 */
function appEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|npm_|NODE_ENV$|TEST$|INIT_CWD$)/i.test(name)),
  );
}

function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: appEnvironment(), timeout: INSTALL_TIMEOUT_MS });
}

/** Runs the packed create command; stdin is a pipe (no terminal), as in CI. */
function create(args: string[], cwd = work) {
  return spawnSync(process.execPath, [createCommand, ...args], { cwd, encoding: 'utf8', input: '', timeout: 60_000 });
}

function installApp(app: string): void {
  const install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
  expect(install.status, `npm install failed:\n${install.stdout}\n${install.stderr}`).toBe(0);
  const installed = join(app, 'node_modules', 'better-sqlite3');
  if (!existsSync(installed)) return;
  const ours = join(repositoryRoot, 'node_modules', 'better-sqlite3');
  const versionOf = (folder: string) => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
  if (versionOf(installed) === versionOf(ours)) {
    mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
    const binary = join('build', 'Release', 'better_sqlite3.node');
    copyFileSync(join(ours, binary), join(installed, binary));
  } else {
    const rebuild = npm(['rebuild', 'better-sqlite3'], app);
    expect(rebuild.status, rebuild.stderr).toBe(0);
  }
}

beforeAll(async () => {
  await buildPackageOnce();
  work = mkdtempSync(join(tmpdir(), 'cik-create-'));
  kitTarball = packTarball(work);
  const report = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], CREATE_PACKAGE),
  ) as [{ filename: string }];
  const unpacked = join(work, 'create-package');
  mkdirSync(unpacked);
  run('tar', ['-xzf', join(work, report[0].filename), '-C', unpacked, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  createCommand = join(unpacked, manifest.bin['create-confluence-iframe-kit']!);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the create command', () => {
  test(
    '--help lists the templates and --kit',
    () => {
      const result = create(['--help']);
      expect(result.status, result.stderr).toBe(0);
      for (const word of [...TEMPLATES, '--template', '--kit']) expect(result.stdout).toContain(word);
    },
    COMMAND_TIMEOUT_MS,
  );

  test(
    'without a terminal to ask on, a missing template is one clear line and exit code 1',
    () => {
      const result = create(['no-template-app']);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('--template');
      expect(existsSync(join(work, 'no-template-app'))).toBe(false);
    },
    COMMAND_TIMEOUT_MS,
  );

  test(
    'an unknown template or a missing --kit path is one clear line and exit code 1',
    () => {
      const unknown = create(['app', '--template', 'angular']);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('forge, connect, adopted');
      const missingKit = create(['app', '--template', 'forge', '--kit', './nowhere/kit.tgz']);
      expect(missingKit.status).toBe(1);
      expect(missingKit.stderr).toContain('./nowhere/kit.tgz does not exist');
      expect(`${unknown.stderr}${missingKit.stderr}`).not.toMatch(/\n\s+at /);
    },
    COMMAND_TIMEOUT_MS,
  );

  test(
    'a folder that already has files is refused, and nothing in it changes',
    () => {
      const folder = join(work, 'taken');
      mkdirSync(folder);
      writeFileSync(join(folder, 'keep.txt'), 'mine');
      const result = create([folder, '--template', 'connect']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is not empty');
      expect(readdirSync(folder)).toEqual(['keep.txt']);
    },
    COMMAND_TIMEOUT_MS,
  );
});

describe.each(TEMPLATES)('a new %s app', (template) => {
  const name = `my-${template}-app`;
  let app: string;
  let startedAt: number;

  beforeAll(() => {
    app = join(work, name);
    startedAt = performance.now();
    const result = create([name, '--template', template, '--kit', kitTarball]);
    expect(result.status, result.stderr).toBe(0);
    installApp(app);
  }, INSTALL_TIMEOUT_MS);

  test('is written from the package alone: the kit from --kit, .gitignore with the emulator data, a README', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    expect(pkg.name).toBe(name);
    expect(pkg.dependencies['confluence-iframe-kit']).toBe(`file:${kitTarball}`);
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['dev', 'test', 'build']));
    const gitignore = readFileSync(join(app, '.gitignore'), 'utf8');
    for (const ignored of ['node_modules/', '.emulator-data/', '.data/']) expect(gitignore).toContain(ignored);
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    expect(readme).toContain(`# ${name}`);
    expect(readme).toContain('npm run dev');
    expect(readme).toMatch(template === 'connect' ? /Upload app/ : /forge deploy/);
    expect(readme).not.toMatch(/%[A-Z_]+%/);
    const tsconfig = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.strict).toBe(true);
    if (template !== 'connect') expect(readFileSync(join(app, 'manifest.yml'), 'utf8')).toContain('resources:');
  });

  test(
    '`npm test` passes from the start: the data, the refusal, the conflict and the quota states',
    () => {
      // The verbose reporter lists each test by name: the states below are the names of the template's tests.
      const result = npm(['test', '--', '--reporter=verbose'], app);
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status, output).toBe(0);
      for (const state of ['renames it', 'told why', 'conflict', 'quota']) expect(output).toContain(state);
      if (template !== 'forge') expect(output).toContain('context token');
      if (template === 'adopted') expect(output).toContain('Forge Invocation Token');
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(0);
      console.log(
        `create-app: ${template}: create → install → tests passing (data on screen in jsdom) in ${seconds} s`,
      );
    },
    COMMAND_TIMEOUT_MS,
  );

  test(
    '`npm run build` type-checks strictly and builds the UI',
    () => {
      const result = npm(['run', 'build'], app);
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      const built = template === 'forge' ? 'build/main/index.html' : 'dist/ui/index.html';
      expect(existsSync(join(app, built))).toBe(true);
      if (template === 'adopted') expect(existsSync(join(app, 'build/overview/index.html'))).toBe(true);
    },
    COMMAND_TIMEOUT_MS,
  );
});

/** The frame text of the emulator page's first module frame that shows the macro (or its refusal), else ''. */
async function macroText(page: Page): Promise<string> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    if (/Rename|Read only|access/.test(text)) return text;
  }
  return '';
}

// One template in a real browser (the others share the emulator and the UI code): `npm run dev` hosts the new
// Forge app in the emulator, the editor sees the page's data, the noAccess user the refusal.
describe.runIf(hasChromium)('`npm run dev` of a new forge app, in Chromium', () => {
  test(
    'shows the macro with the page as the editor and the refusal as noAccess',
    async () => {
      const app = join(work, 'my-forge-app');
      const startedAt = performance.now();
      // EMULATOR_PORT=0: a free port; the emulator prints its URL once the app is hosted.
      const dev = spawn('npm', ['run', 'dev'], {
        cwd: app,
        env: { ...appEnvironment(), EMULATOR_PORT: '0' },
        detached: true,
      });
      try {
        const emulatorUrl = await new Promise<string>((resolve, reject) => {
          let output = '';
          const read = (chunk: Buffer) => {
            output += chunk.toString();
            const printed = /^Emulator: (\S+)$/m.exec(output);
            if (printed) resolve(printed[1]!);
          };
          dev.stdout.on('data', read);
          dev.stderr.on('data', read);
          dev.once('exit', (code) => reject(new Error(`npm run dev exited (${code}):\n${output}`)));
        });
        const browser = await launchChromium();
        try {
          const page = await browser.context.newPage();
          await page.goto(`${emulatorUrl}?user=editor`);
          await expect.poll(() => macroText(page), { timeout: 60_000, interval: 250 }).toContain('Getting started');
          expect(await macroText(page)).toContain('Rename');
          const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
          console.log(`create-app: forge: npm run dev → the macro's data in Chromium in ${seconds} s`);
          await page.goto(`${emulatorUrl}?user=noAccess`);
          await expect
            .poll(() => macroText(page), { timeout: 60_000, interval: 250 })
            .toContain("You don't have access to Confluence.");
          expect(await macroText(page)).not.toContain('Getting started');
        } finally {
          await browser.close();
        }
      } finally {
        // The dev script runs Vite and the emulator as children: end the whole group it leads.
        process.kill(-dev.pid!, 'SIGTERM');
      }
    },
    COMMAND_TIMEOUT_MS,
  );
});
