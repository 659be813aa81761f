import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Esbuild from 'esbuild';

/** A Forge function's handler: what `handler(event, context)` answers. */
export type ForgeHandler = (event: unknown, context: unknown) => unknown;

/** The function's source cannot be found, bundled or loaded: the message says which and why, in one line. */
export class ForgeFunctionBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForgeFunctionBuildError';
  }
}

/** The extensions the Forge CLI resolves a handler's file with, in its order. */
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

/** `index.handler` → the file `src/index` and the export `handler` (the last dot splits them). */
export function splitHandler(handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  return { file: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

function sourceFileOf(appDirectory: string, handlerFile: string): string {
  const base = path.resolve(appDirectory, 'src', handlerFile);
  for (const extension of SOURCE_EXTENSIONS) if (existsSync(base + extension)) return base + extension;
  throw new ForgeFunctionBuildError(
    `no source for handler file "${handlerFile}": looked for src/${handlerFile}{${SOURCE_EXTENSIONS.join(',')}} in ${appDirectory}`,
  );
}

/**
 * esbuild from beside the kit (its devDependency, or the project's own), else from the app's folder: the installed
 * command keeps it outside its bundle (a native binary), so a project without one gets a message that says so.
 */
async function loadEsbuild(appDirectory: string): Promise<typeof Esbuild> {
  try {
    return await import('esbuild');
  } catch {
    // Not beside the kit: the app's own node_modules next.
  }
  try {
    return createRequire(path.join(appDirectory, 'package.json'))('esbuild') as typeof Esbuild;
  } catch {
    throw new ForgeFunctionBuildError(
      'running Forge functions needs esbuild to bundle them: npm install -D esbuild (in the app or beside the kit)',
    );
  }
}

interface LoadedBundle {
  module: Record<string, unknown>;
  /** Every source file the bundle was built from, with its modification time then: a change means a rebuild. */
  inputs: Map<string, number>;
}

/**
 * The app's function sources, bundled the way the Forge CLI bundles them (esbuild, one CommonJS file per handler
 * file for Node, every npm package inside: `@forge/api`, `@forge/resolver`, `@forge/kvs` as the app installed them)
 * and loaded into this process. A source file that changed since is rebuilt on the next invocation, so an edit to a
 * resolver needs no restart. esbuild is a devDependency of the kit and stays outside the built command, which loads
 * it only here (as forge-shim-script.ts does).
 */
export function createForgeFunctionBundles(appDirectory: string) {
  const loaded = new Map<string, Promise<LoadedBundle>>();
  let outDir: Promise<string> | undefined;
  let version = 0;
  const load = createRequire(import.meta.url);

  async function changed(bundle: LoadedBundle): Promise<boolean> {
    for (const [file, mtime] of bundle.inputs) {
      const now = await stat(file).then(
        (info) => info.mtimeMs,
        () => -1,
      );
      if (now !== mtime) return true;
    }
    return false;
  }

  async function build(sourceFile: string): Promise<LoadedBundle> {
    const { build: bundle } = await loadEsbuild(appDirectory);
    outDir ??= mkdtemp(path.join(tmpdir(), 'cik-forge-functions-'));
    // A new file name each build: Node's require cache keeps the old module, and the new one loads fresh.
    const outfile = path.join(await outDir, `${path.basename(sourceFile).replace(/\.\w+$/, '')}.${++version}.cjs`);
    let result;
    try {
      result = await bundle({
        entryPoints: [sourceFile],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: true,
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: appDirectory,
        external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
      });
    } catch (error) {
      const first = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
        .errors?.[0];
      const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
      throw new ForgeFunctionBuildError(
        `the function source ${path.relative(appDirectory, sourceFile)} does not build: ${first?.text ?? String(error)}${where}`,
      );
    }
    const inputs = new Map<string, number>();
    for (const input of Object.keys(result.metafile.inputs)) {
      const file = path.resolve(appDirectory, input);
      // Only the app's own sources are watched: node_modules do not change while it runs.
      if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
      inputs.set(file, (await stat(file)).mtimeMs);
    }
    // Stack traces of a resolver point at its source, not at the bundle.
    process.setSourceMapsEnabled(true);
    try {
      return { module: load(outfile) as Record<string, unknown>, inputs };
    } catch (error) {
      throw new ForgeFunctionBuildError(
        `the function source ${path.relative(appDirectory, sourceFile)} failed to load: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return {
    /** The handler the manifest's `handler` names, built (or rebuilt after an edit) as needed. */
    async handler(handler: string): Promise<ForgeHandler> {
      const { file, exportName } = splitHandler(handler);
      const sourceFile = sourceFileOf(appDirectory, file);
      let bundle = loaded.get(sourceFile);
      if (bundle && (await bundle.then(changed, () => true))) bundle = undefined;
      if (!bundle) {
        bundle = build(sourceFile);
        loaded.set(sourceFile, bundle);
      }
      const { module } = await bundle;
      const exported = module[exportName];
      if (typeof exported !== 'function') {
        throw new ForgeFunctionBuildError(
          `${path.relative(appDirectory, sourceFile)} exports no function "${exportName}" (the manifest's handler ${handler})`,
        );
      }
      return exported as ForgeHandler;
    },
    /** Removes the built bundles. */
    async close(): Promise<void> {
      if (outDir) await rm(await outDir, { recursive: true, force: true });
    },
  };
}

export type ForgeFunctionBundles = ReturnType<typeof createForgeFunctionBundles>;
