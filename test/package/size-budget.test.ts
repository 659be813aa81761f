/**
 * The size budget of what apps ship (bench/size-settings.mjs): a read-only macro, the root client entry alone, and
 * everything in root + ./react, each minified + gzip -9 with NODE_ENV=production and peers external. CI fails when a
 * row is over its decided budget; BENCHMARKS.md has the numbers (`node bench/size.mjs --write`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('every budgeted bundle-size row is within its budget (node bench/size.mjs --check)', () => {
  const result = spawnSync(process.execPath, ['bench/size.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).not.toContain('over its budget');
  expect(result.stdout).toContain('read-only macro');
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}, 60_000);
