/**
 * The docs ship and their links work where an app team reads them, in node_modules/confluence-iframe-kit: every
 * relative link (and image) of every packed markdown file names a file that is in the tarball, and an anchor names a
 * heading of that file. The layer guides under docs/ are copies of src/<layer>/README.md (npm run docs:sync).
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { buildPackageOnce, repositoryRoot, run } from './support/build-package.js';

let packedPaths: Set<string>;
let markdownFiles: string[];

beforeAll(async () => {
  await buildPackageOnce();
  // --ignore-scripts: prepack would build again; the build above is the one under test.
  const report = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'])) as [
    { files: { path: string }[] },
  ];
  packedPaths = new Set(report[0].files.map((file) => file.path));
  markdownFiles = [...packedPaths].filter((path) => path.endsWith('.md')).sort();
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  const headings = [...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1]!);
  return new Set(
    headings.map((heading) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

function linksOf(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
}

test('the guides and the emulator doc are in the tarball, under docs/', () => {
  for (const guide of ['client', 'react', 'server', 'server-forge', 'testing', 'emulator']) {
    expect(packedPaths).toContain(`docs/${guide}.md`);
  }
});

test('the shipped guides are the current src/<layer>/README.md (run npm run docs:sync after editing one)', () => {
  run(process.execPath, ['scripts/docs-sync.mjs', '--check']);
});

test('no packed markdown file has a dead relative link or anchor', () => {
  expect(markdownFiles).toContain('README.md');
  const dead: string[] = [];
  for (const file of markdownFiles) {
    for (const target of linksOf(readFileSync(join(repositoryRoot, file), 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:…: not inside the package
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const linked = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
      if (!packedPaths.has(linked)) {
        dead.push(`${file}: ${target} (${linked} is not in the package)`);
        continue;
      }
      if (anchor && linked.endsWith('.md')) {
        const anchors = anchorsOf(readFileSync(join(repositoryRoot, linked), 'utf8'));
        if (!anchors.has(anchor)) dead.push(`${file}: ${target} (no heading #${anchor} in ${linked})`);
      }
    }
  }
  expect(dead).toEqual([]);
});

test('the README links the guides inside the package, not on a website', () => {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  for (const guide of ['docs/react.md', 'docs/testing.md', 'docs/server.md', 'docs/client.md', 'docs/emulator.md']) {
    expect(linksOf(readme).some((target) => target.startsWith(guide))).toBe(true);
  }
});
