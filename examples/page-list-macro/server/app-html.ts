import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerifiedContext } from 'confluence-iframe-kit/server';

/** The iframe modules the reference server serves: the macro, its custom editor, the general page, the app's dialog. */
export type ModuleKind = 'macro' | 'macro-editor' | 'page' | 'dialog';

export interface AppHtmlContext {
  module: ModuleKind;
  verified: VerifiedContext;
  /** the request target of the module iframe (path + query, including the jwt) */
  url: string;
}

export type AppHtml = (context: AppHtmlContext) => string | Promise<string>;

const ATLASSIAN_ALL_JS = 'https://connect-cdn.atl-paas.net/all.js';

/** Where the web app's page lands in the build, relative to the build folder. */
export const WEB_PAGE_PATH = join('examples', 'page-list-macro', 'web');

/** Shown until `npm run build:example` has produced the web app. */
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>confluence-iframe-kit</title>
<script src="${ATLASSIAN_ALL_JS}" data-options="margin:false"></script></head>
<body><p>The app build is missing: run <code>npm run build:example</code>. The iframe token verified.</p></body></html>`;

/**
 * The production app page: the web app build's HTML served as-is (the app gets its context token from
 * `AP.context.getToken()` and calls /api/verify itself), except that the development path of all.js is pointed
 * at Atlassian's CDN, where Connect requires it to come from in production.
 */
export function staticAppHtml(staticDir: string): AppHtml {
  // vite keeps the page's path under the repository root: examples/page-list-macro/web/index.html.
  const candidates = [join(staticDir, WEB_PAGE_PATH, 'index.html'), join(staticDir, 'index.html')];
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= (async () => {
      const file = candidates.find((candidate) => existsSync(candidate));
      if (!file) return PLACEHOLDER_HTML;
      const html = await readFile(file, 'utf8');
      return html.replace(/src="\/atlassian-connect\/all\.js"/g, `src="${ATLASSIAN_ALL_JS}"`);
    })();
    return cached;
  };
}
