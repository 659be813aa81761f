// The layer guides, shipped: each src/<layer>/README.md (written next to the code it describes) is copied to
// docs/<layer>.md, the folder the package ships and the docs site reads, with its links rewritten to work from there.
//
//   node scripts/docs-sync.mjs           write docs/*.md (npm run docs:sync)
//   node scripts/docs-sync.mjs --check   exit 1 if a copy is out of date (test/package/docs-links.test.ts runs it)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY = 'https://github.com/confluence-iframe-kit/confluence-iframe-kit/blob/main/';

/** Source guide → its shipped copy, both relative to the repository root. */
export const GUIDES = {
  'src/client/README.md': 'docs/client.md',
  'src/react/README.md': 'docs/react.md',
  'src/server/README.md': 'docs/server.md',
  'src/server/forge/README.md': 'docs/server-forge.md',
  'src/testing/README.md': 'docs/testing.md',
};

/** Files the shipped docs may link to by a relative path: the guides, the other docs, the README. */
const SHIPPED = { ...GUIDES, 'docs/emulator.md': 'docs/emulator.md', 'README.md': 'README.md' };

/**
 * A link target as the copy at `copyPath` must say it: a shipped file becomes a path relative to the copy, anything
 * else of the repository an absolute GitHub URL (it is not in the package), external URLs stay.
 */
function rewriteTarget(target, sourcePath, copyPath) {
  const [path, anchor] = target.split('#');
  let repositoryPath;
  if (target.startsWith(REPOSITORY)) repositoryPath = path.slice(REPOSITORY.length);
  else if (/^[a-z]+:/i.test(target) || target.startsWith('#') || path === '') return target;
  else repositoryPath = posix.normalize(posix.join(posix.dirname(sourcePath), path));
  const suffix = anchor === undefined ? '' : `#${anchor}`;
  const shipped = SHIPPED[repositoryPath];
  if (shipped === undefined) return REPOSITORY + repositoryPath + suffix;
  return posix.relative(posix.dirname(copyPath), shipped) + suffix;
}

/** The text docs/<layer>.md must have for the guide at `sourcePath`. */
export function shippedGuide(sourcePath) {
  const copyPath = GUIDES[sourcePath];
  const text = readFileSync(join(root, sourcePath), 'utf8');
  const rewritten = text.replace(
    /(\]\()([^)\s]+)(\))/g,
    (_match, open, target, close) => open + rewriteTarget(target, sourcePath, copyPath) + close,
  );
  return `<!-- Copied from ${sourcePath} by npm run docs:sync: edit that file, not this one. -->\n\n${rewritten}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [sourcePath, copyPath] of Object.entries(GUIDES)) {
    const wanted = shippedGuide(sourcePath);
    let current = '';
    try {
      current = readFileSync(join(root, copyPath), 'utf8');
    } catch {
      // not written yet
    }
    if (current === wanted) continue;
    if (check) stale.push(copyPath);
    else writeFileSync(join(root, copyPath), wanted);
  }
  if (stale.length > 0) {
    console.error(`Out of date: ${stale.join(', ')}. Run npm run docs:sync.`);
    process.exit(1);
  }
}
