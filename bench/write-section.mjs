// Replaces one <!-- bench:NAME -->…<!-- /bench:NAME --> section of BENCHMARKS.md, keeping every other section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

export function writeSection(name, body) {
  const openMarker = `<!-- bench:${name} -->`;
  const closeMarker = `<!-- /bench:${name} -->`;
  const block = `${openMarker}\n${body.trim()}\n${closeMarker}`;
  let markdown = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nRun all: `npm run bench` (= `node bench/run.mjs`).\n';
  const start = markdown.indexOf(openMarker);
  const end = markdown.indexOf(closeMarker);
  if (start >= 0 && end > start) {
    markdown = markdown.slice(0, start) + block + markdown.slice(end + closeMarker.length);
  } else {
    markdown = markdown.trimEnd() + '\n\n' + block + '\n';
  }
  writeFileSync(file, markdown);
}
