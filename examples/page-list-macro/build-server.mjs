// Bundles the example's server (examples/page-list-macro/server/start.ts) into dist/example/server/start.js for
// `npm start`. The package name resolves to the sources through tsconfig.json's paths, as in the tests.
// Database drivers stay external: better-sqlite3 is native, pg loads optional natives.
import { build } from 'esbuild';
import { builtinModules } from 'node:module';

// `--outfile <path>` lets the tests bundle into a temp dir instead of dist/.
const outfileArg = process.argv.indexOf('--outfile');
const outfile = outfileArg === -1 ? 'dist/example/server/start.js' : process.argv[outfileArg + 1];

await build({
  entryPoints: ['examples/page-list-macro/server/start.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'pg', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
  logLevel: 'info',
});
