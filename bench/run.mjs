// Runs every bench script and lets each write its own section of BENCHMARKS.md.
// Usage: node bench/run.mjs [--scale]   (npm run bench; npm run bench -- --scale adds bench/verify-scale.mjs)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const scripts = [
  'size.mjs',
  'size-by-export.mjs',
  'roundtrip.ts',
  'backend-calls.ts',
  'verify.mjs',
  'verify-cost.ts',
  'first-data.mjs',
];
// The 10 000-tenant run takes minutes and needs PostgreSQL on 127.0.0.1: only with `--scale`.
if (process.argv.includes('--scale')) scripts.push('verify-scale.mjs');
let failed = 0;
for (const f of scripts) {
  console.log(`\n== bench/${f}`);
  const args = f.endsWith('.ts') ? ['--import', 'tsx', dir + f, '--write'] : [dir + f, '--write'];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: fileURLToPath(new URL('..', import.meta.url)) });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${f} exited with ${r.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
