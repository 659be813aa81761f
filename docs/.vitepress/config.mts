// The docs site (`npm run docs:build`): the guides in docs/ (docs/client.md… are copies of src/<layer>/README.md,
// `npm run docs:sync`) and the API reference TypeDoc writes into docs/api/ from the TSDoc of every public entry.
// A dead link fails the build (VitePress's default).
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitepress';

const repository = 'https://github.com/confluence-iframe-kit/confluence-iframe-kit';

/** The API reference's pages, as typedoc-plugin-markdown writes them: one folder per entry. */
function apiSidebar() {
  const entries = ['index', 'react', 'server', 'testing', 'testing/core'];
  return entries.map((entry) => ({
    text: entry === 'index' ? 'confluence-iframe-kit' : `…/${entry}`,
    link: `/api/${entry}/`,
  }));
}

export default defineConfig({
  title: 'confluence-iframe-kit',
  description: readFileSync(new URL('../../package.json', import.meta.url), 'utf8').match(
    /"description": "([^"]*)"/,
  )![1],
  // Pages live in docs/; the README (the package's front page, linked as ../README.md from the guides, where the
  // packed-docs test checks those links) is not a page of the site.
  ignoreDeadLinks: [/^(\.\/)?\.\.\/README(\.md)?(#.*)?$/],
  srcExclude: ['README.md'],
  themeConfig: {
    nav: [
      { text: 'Guides', link: '/getting-started' },
      { text: 'API', link: '/api/' },
      { text: 'GitHub', link: repository },
    ],
    sidebar: [
      {
        text: 'Guides',
        items: [
          { text: 'Getting started', link: '/getting-started' },
          { text: 'Client (no React)', link: '/client' },
          { text: 'React: hooks and states', link: '/react' },
          { text: 'Backend: verification and tenants', link: '/server' },
          { text: 'Backend: Forge Remote', link: '/server-forge' },
          { text: 'Testing', link: '/testing' },
          { text: 'The emulator', link: '/emulator' },
        ],
      },
      { text: 'API reference', link: '/api/', items: apiSidebar() },
    ],
    search: { provider: 'local' },
  },
});
