/**
 * The `confluence-iframe-kit` command as an app team gets it: the packed tarball unpacked into an empty app folder,
 * with no node_modules of ours next to it (no devDependency, no peer), run through the file its `bin` field names.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackageOnce, run } from './support/build-package.js';
import { packTarball } from './support/consumer.js';

let folder: string;
let command: string;

beforeAll(async () => {
  await buildPackageOnce();
  folder = mkdtempSync(join(tmpdir(), 'cik-emulate-'));
  const installed = join(folder, 'node_modules', 'confluence-iframe-kit');
  mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', packTarball(folder), '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  command = join(installed, manifest.bin['confluence-iframe-kit']!);
}, 300_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function emulate(args: string[]) {
  return spawnSync(process.execPath, [command, ...args], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
}

test('`emulate --help` lists the options, from the installed package alone', () => {
  const result = emulate(['emulate', '--help']);
  expect(result.status, result.stderr).toBe(0);
  for (const option of ['--app', '--forge', '--port', '--data', '--user', '--site']) {
    expect(result.stdout).toContain(option);
  }
});

test('an unreachable descriptor is one clear line and exit code 1, never a stack trace', () => {
  const result = emulate(['emulate', '--app', 'http://127.0.0.1:9/atlassian-connect.json', '--port', '0']);
  expect(result.status).toBe(1);
  const output = (result.stdout + result.stderr).trim();
  expect(output).toContain('http://127.0.0.1:9/atlassian-connect.json');
  expect(output).not.toMatch(/\n\s+at /);
});

test('an unknown option is one clear line and exit code 1', () => {
  const result = emulate(['emulate', '--app-url', 'x']);
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain('--app-url');
});

test('`emulate --forge` reads a manifest (YAML inside the command) and serves its Custom UI with the bridge shim', async () => {
  const app = join(folder, 'forge-app');
  mkdirSync(join(app, 'static', 'main', 'build'), { recursive: true });
  writeFileSync(
    join(app, 'static', 'main', 'build', 'index.html'),
    '<!doctype html><html><head></head><body>hi</body></html>',
  );
  writeFileSync(
    join(app, 'manifest.yml'),
    'modules:\n  confluence:globalPage:\n    - key: home\n      resource: main\n      title: Home\n' +
      'resources:\n  - key: main\n    path: static/main/build\n',
  );
  writeFileSync(join(app, 'broken.yml'), 'modules: [\n');
  const broken = emulate(['emulate', '--forge', join(app, 'broken.yml'), '--port', '0']);
  expect(broken.status).toBe(1);
  expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  expect(broken.stderr).toContain('is not YAML');

  const child = spawn(process.execPath, [command, 'emulate', '--forge', join(app, 'manifest.yml'), '--port', '0'], {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (/^Emulator: \S+$/m.test(text)) resolve(text);
      });
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`the command exited (${code}): ${text}`)));
    });
    const emulatorUrl = /^Emulator: (\S+)$/m.exec(output)![1]!;
    const customUi = /^Custom UI: +(\S+)$/m.exec(output)![1]!;
    expect(output).toMatch(/^Forge JWKS: +\S+\/__emulator\/forge\/jwks\.json$/m);
    const html = await (await fetch(`${customUi}/main/`)).text();
    expect(html).toContain('<script src="/forge-bridge-emulator.js"></script>');
    const shim = await (await fetch(`${customUi}/forge-bridge-emulator.js`)).text();
    expect(shim).toContain(JSON.stringify(new URL(emulatorUrl).origin));
    expect(shim).not.toContain('cik-emulator-origin.invalid');
  } finally {
    child.kill('SIGTERM');
  }
}, 60_000);
