import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../../emulator/node/emulator-server';

/**
 * A Forge app written here, as an app team has it on disk: manifest.yml, a resolver in TypeScript under src/ on
 * Atlassian's npm packages (`@forge/resolver`, `@forge/api`, `@forge/kvs`, used as they are), and a Custom UI whose
 * built index.html calls the resolver through the npm `@forge/bridge`. Its node_modules is the repository's (a
 * symlink), as `npm install` would give it the same packages.
 */

export const RESOLVER_SOURCE = `
import Resolver from '@forge/resolver';
import { asApp, asUser, getAppContext, route } from '@forge/api';
import { kvs, WhereConditions } from '@forge/kvs';

interface PageAnswer { title: string }

const resolver = new Resolver();

resolver.define('getPage', async ({ payload, context }) => {
  const pageId: string = context.extension.content.id;
  const response = await asUser().requestConfluence(route\`/wiki/api/v2/pages/\${pageId}\`);
  const views = ((await kvs.get<number>(\`views-\${pageId}\`)) ?? 0) + 1;
  await kvs.set(\`views-\${pageId}\`, views);
  if (!response.ok) return { status: response.status, views };
  const page = (await response.json()) as PageAnswer;
  return { status: response.status, title: page.title, views, accountId: context.accountId, greeting: payload.greeting };
});

resolver.define('spacesAsApp', async () => {
  const response = await asApp().requestConfluence(route\`/wiki/api/v2/spaces\`);
  return { status: response.status, count: ((await response.json()) as { results: unknown[] }).results.length };
});

resolver.define('listViews', async () => {
  const { results } = await kvs.query().where('key', WhereConditions.beginsWith('views-')).getMany();
  return results;
});

resolver.define('whoAmI', ({ context }) => ({
  accountId: context.accountId,
  cloudId: context.cloudId,
  moduleKey: context.moduleKey,
  installContext: context.installContext,
  extensionType: context.extension.type,
  installationAri: getAppContext().installationAri.toString(),
  remainingMs: getAppContext().invocationRemainingTimeInMillis(),
}));

resolver.define('explode', () => {
  throw new Error('the resolver exploded');
});

export const handler = resolver.getDefinitions();
`;

/** The Custom UI: the resolver's answers, each into its own element. */
const CUSTOM_UI_SCRIPT = `
import { invoke } from '@forge/bridge';

const show = (id, text) => { document.getElementById(id).textContent = text; };
invoke('getPage', { greeting: 'hi' }).then(
  (answer) => show('page', answer.status === 200 ? answer.title + ' (' + answer.greeting + ')' : 'refused ' + answer.status),
  (error) => show('page', 'error: ' + error.message),
);
invoke('explode').then(() => show('explode', 'resolved'), (error) => show('explode', 'error: ' + error.message));
`;

const INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Resolver app</title></head>
<body>
<p>page: <span id="page">pending</span></p>
<p>explode: <span id="explode">pending</span></p>
<script src="./main.js"></script>
</body></html>`;

export const RESOLVER_MANIFEST = `app:
  id: ari:cloud:ecosystem::app/7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f
modules:
  macro:
    - key: resolver-macro
      resource: main
      title: Resolver macro
      resolver:
        function: resolver
  confluence:globalPage:
    - key: no-resolver-page
      resource: main
      title: A page without resolver
  function:
    - key: resolver
      handler: index.handler
resources:
  - key: main
    path: static/main/build
permissions:
  scopes:
    - read:page:confluence
    - read:space:confluence
    - storage:app
`;

/** Writes the app into `folder`; answers the manifest's path. */
export async function writeResolverApp(folder: string): Promise<string> {
  await mkdir(path.join(folder, 'src'), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  await writeFile(path.join(folder, 'src', 'index.ts'), RESOLVER_SOURCE);
  const mainBuild = path.join(folder, 'static', 'main', 'build');
  await mkdir(mainBuild, { recursive: true });
  await build({
    stdin: { contents: CUSTOM_UI_SCRIPT, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    target: 'es2020',
    outfile: path.join(mainBuild, 'main.js'),
    logLevel: 'silent',
  });
  await writeFile(path.join(mainBuild, 'index.html'), INDEX_HTML);
  const manifestFile = path.join(folder, 'manifest.yml');
  await writeFile(manifestFile, RESOLVER_MANIFEST);
  return manifestFile;
}
