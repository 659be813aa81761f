/**
 * Builds the package once for all package tests, as `npm run build` does (vite library build into dist/lib, the
 * .d.ts into dist/types, the emulate command into dist/emulator). The package test files run in parallel workers and a vite build empties dist/lib, so
 * the build runs under a lock, and it is skipped when dist/ already holds a build of exactly these sources.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// From a path, not `new URL(…)`: under the jsdom environment `URL` is jsdom's, which node:url does not accept.
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const BUILD_INPUTS = [
  'src',
  'emulator',
  'index.html',
  'package.json',
  'vite.config.ts',
  'tsconfig.json',
  'tsconfig.build.json',
];
const STAMP_FILE = join(repositoryRoot, 'dist', '.package-test-build');
const LOCK_DIR = join(repositoryRoot, 'dist', '.package-test-build.lock');
const LOCK_POLL_MS = 200;
/** A lock older than this belongs to a run that died; a build takes well under a minute. */
const STALE_LOCK_MS = 5 * 60 * 1000;

/** Runs a command from the repository root (or `cwd`) and returns its stdout; throws with both streams on failure. */
export function run(command: string, args: string[], cwd = repositoryRoot, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function hashOfBuildInputs(): string {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of filesUnder(join(repositoryRoot, input))) {
      hash.update(relative(repositoryRoot, file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

function isBuilt(inputsHash: string): boolean {
  if (!existsSync(join(repositoryRoot, 'dist/lib/index.js'))) return false;
  if (!existsSync(join(repositoryRoot, 'dist/types/index.d.ts'))) return false;
  if (!existsSync(join(repositoryRoot, 'dist/emulator/cli.js'))) return false;
  return existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8') === inputsHash;
}

async function acquireLock(): Promise<void> {
  mkdirSync(join(repositoryRoot, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      return;
    } catch {
      const lock = statSync(LOCK_DIR, { throwIfNoEntry: false });
      if (lock !== undefined && Date.now() - lock.mtimeMs > STALE_LOCK_MS) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
}

/** Builds dist/lib, dist/types and dist/emulator unless they are a build of the current sources. */
export async function buildPackageOnce(): Promise<void> {
  const inputsHash = hashOfBuildInputs();
  if (isBuilt(inputsHash)) return;
  await acquireLock();
  try {
    if (isBuilt(inputsHash)) return;
    const production = { NODE_ENV: 'production' };
    run(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
      repositoryRoot,
      production,
    );
    // tsc never deletes a .d.ts whose source is gone: start from an empty dist/types so the package ships none.
    rmSync(join(repositoryRoot, 'dist/types'), { recursive: true, force: true });
    run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], repositoryRoot, production);
    run(process.execPath, ['emulator/build.mjs'], repositoryRoot, production);
    writeFileSync(STAMP_FILE, inputsHash);
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
