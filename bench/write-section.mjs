// Replaces one <!-- bench:NAME -->…<!-- /bench:NAME --> section of BENCHMARKS.md, keeping every other section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

export function writeSection(name, body) {
  const open = `<!-- bench:${name} -->`,
    close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${body.trim()}\n${close}`;
  let md = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nRun all: `npm run bench` (= `node bench/run.mjs`).\n';
  const a = md.indexOf(open),
    b = md.indexOf(close);
  md = a >= 0 && b > a ? md.slice(0, a) + block + md.slice(b + close.length) : md.trimEnd() + '\n\n' + block + '\n';
  writeFileSync(file, md);
}
