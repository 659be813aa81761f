// The API reference (`npm run docs:build` runs TypeDoc, then VitePress): every public export of the six entries,
// from their TSDoc, as markdown into docs/api/ (generated, not committed). An undocumented export fails the build,
// except those listed in scripts/api-undocumented.txt, exports that were undocumented when this check came in: the
// list may only shrink (document one, then delete its line).
import { readFileSync } from 'node:fs';

const undocumented = readFileSync(new URL('./scripts/api-undocumented.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** @type {Partial<import('typedoc').TypeDocOptions & import('typedoc-plugin-markdown').PluginOptions>} */
export default {
  entryPoints: [
    'src/index.ts',
    'src/react/index.ts',
    'src/react/early/index.ts',
    'src/server/index.ts',
    'src/testing/index.ts',
    'src/testing/core.ts',
  ],
  tsconfig: 'tsconfig.json',
  plugin: ['typedoc-plugin-markdown'],
  out: 'docs/api',
  // Source links point at where the repository is published, whatever remote (if any) this clone has.
  sourceLinkTemplate: 'https://github.com/confluence-iframe-kit/confluence-iframe-kit/blob/main/{path}#L{line}',
  readme: 'none',
  entryFileName: 'index',
  hidePageHeader: true,
  // VitePress reads markdown as Vue templates: a `<tag>` in a comment's prose must arrive escaped.
  sanitizeComments: true,
  excludePrivate: true,
  excludeInternal: true,
  validation: { notExported: false, invalidLink: true, notDocumented: true },
  // What an app imports must say what it is; members of a documented export are described by their export's TSDoc.
  requiredToBeDocumented: ['Function', 'Class', 'Interface', 'TypeAlias', 'Variable', 'Enum'],
  intentionallyNotDocumented: undocumented,
  treatWarningsAsErrors: true,
};
