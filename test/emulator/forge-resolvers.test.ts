import { pageRequest } from './support/page-request';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../emulator/node/emulator-server';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { PAGES, USERS } from '../../src/testing/core';
import { RESOLVER_SOURCE, writeResolverApp } from './support/resolver-app';

/**
 * `emulate --forge` runs the manifest's functions in-process: a resolver written in TypeScript on Atlassian's npm
 * packages, invoked as the emulator page invokes it (POST /__emulator/forge/invoke). No page is open here, so the
 * resolver's Confluence calls are answered by the Node half's copy of the site.
 */

const MACRO_CONTEXT = { extension: { type: 'macro', content: { id: PAGES.gettingStarted, type: 'page' } } };

describe('emulate --forge: Forge functions in the emulator process', () => {
  let folder: string;
  let dataDir: string;
  let manifestFile: string;
  let emulator: RunningEmulator;
  const errors: string[] = [];

  const start = async () =>
    startEmulator({
      forgeManifest: await readForgeManifest(manifestFile),
      port: 0,
      dataDir,
      output: { error: (line) => errors.push(line) },
    });

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-resolvers-'));
    dataDir = path.join(folder, 'data');
    manifestFile = await writeResolverApp(folder);
    emulator = await start();
  });
  afterAll(async () => {
    await emulator?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const invoke = async (
    functionKey: string,
    options: { user?: string; payload?: unknown; moduleKey?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await pageRequest(
      emulator.emulatorUrl,
      'forge/invoke',
      {
        functionKey,
        payload: options.payload,
        moduleKey: options.moduleKey ?? 'resolver-macro',
        user: options.user ?? USERS.editor.accountId,
        context: MACRO_CONTEXT,
      },
      options.headers,
    );
    const text = await response.text();
    return {
      status: response.status,
      body: (response.ok ? JSON.parse(text) : { refusal: text }) as Record<string, unknown>,
    };
  };

  it('runs the resolver with Forge request shape; asUser().requestConfluence acts as the user; storage counts', async () => {
    const first = await invoke('getPage', { payload: { greeting: 'hi' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      ok: true,
      value: { status: 200, title: 'Getting started', views: 1, accountId: USERS.editor.accountId, greeting: 'hi' },
    });
    expect(first.body.calls).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/wiki/api/v2/pages/${PAGES.gettingStarted}`,
        status: 200,
        authority: `user ${USERS.editor.accountId}`,
      }),
    ]);
    const second = await invoke('getPage');
    expect(second.body).toMatchObject({ ok: true, value: { views: 2 } });
  });

  it('refuses the no-access user through the resolver, as Confluence refuses them', async () => {
    const refused = await invoke('getPage', { user: USERS.noAccess.accountId });
    expect(refused.body).toMatchObject({ ok: true, value: { status: 403 } });
    expect(refused.body.calls).toEqual([
      expect.objectContaining({ status: 403, authority: `user ${USERS.noAccess.accountId}` }),
    ]);
  });

  it('asApp() acts as the app, whoever invokes', async () => {
    const answer = await invoke('spacesAsApp', { user: USERS.noAccess.accountId });
    expect(answer.body).toMatchObject({ ok: true, value: { status: 200 } });
    expect((answer.body.value as { count: number }).count).toBeGreaterThan(0);
    expect(answer.body.calls).toEqual([expect.objectContaining({ authority: 'app', status: 200 })]);
  });

  it("gives the resolver Forge's context: the principal, the site, the module and its extension", async () => {
    const answer = await invoke('whoAmI');
    expect(answer.body.value).toEqual({
      accountId: USERS.editor.accountId,
      cloudId: 'emulated-cloud-id',
      moduleKey: 'resolver-macro',
      installContext: 'ari:cloud:confluence::site/emulated-cloud-id',
      extensionType: 'macro',
      installationAri: expect.stringMatching(/^ari:cloud:ecosystem::installation\/[0-9a-f-]{36}$/),
      remainingMs: expect.any(Number),
    });
    // getAppContext() gives Forge's remaining time: at most the 25 s a Custom UI invocation has.
    expect((answer.body.value as { remainingMs: number }).remainingMs).toBeLessThanOrEqual(25_000);
  });

  it('queries storage by key prefix (@forge/kvs)', async () => {
    const answer = await invoke('listViews');
    expect(answer.body.value).toEqual([{ key: `views-${PAGES.gettingStarted}`, value: 3 }]);
  });

  it("answers a resolver's error with its message and stack, and prints both", async () => {
    const failed = await invoke('explode');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ ok: false, error: { message: 'the resolver exploded' } });
    // The frames point at the source under Node's own source-map support (the command); vitest replaces it here.
    expect((failed.body.error as { stack: string }).stack).toMatch(/^Error: the resolver exploded\n\s+at /);
    expect(errors.join('\n')).toMatch(/"resolver" failed in invoke\("explode"\)[\s\S]*the resolver exploded\n\s+at /);
  });

  it('names what is missing: a module without a resolver function, an unknown resolver key', async () => {
    const noResolver = await invoke('getPage', { moduleKey: 'no-resolver-page' });
    expect(noResolver.body).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no-resolver-page.*no resolver function/) },
    });
    const unknown = await invoke('nope');
    expect(unknown.body).toMatchObject({
      ok: false,
      error: { message: "Resolver has no definition for 'nope'." },
    });
  });

  it('refuses a call that is not the emulator page: another origin, not JSON, a bad user', async () => {
    // Another origin is refused before the route runs (emulator/node/request-guard.ts).
    expect((await invoke('whoAmI', { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await invoke('whoAmI', { user: 'not an account id!' })).status).toBe(400);
    const notJson = await pageRequest(emulator.emulatorUrl, 'forge/invoke', {}, { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(400);
  });

  it('rebuilds the resolver when its source changes', async () => {
    const source = path.join(folder, 'src', 'index.ts');
    await writeFile(source, RESOLVER_SOURCE.replace('the resolver exploded', 'the edited resolver exploded'));
    try {
      await expect
        .poll(async () => (await invoke('explode')).body.error)
        .toMatchObject({
          message: 'the edited resolver exploded',
        });
    } finally {
      await writeFile(source, RESOLVER_SOURCE);
    }
  });

  it('keeps storage under --data across runs', async () => {
    await emulator.close();
    expect(JSON.parse(await readFile(path.join(dataDir, 'forge-storage.json'), 'utf8'))).toMatchObject({
      plain: [[`views-${PAGES.gettingStarted}`, expect.objectContaining({ value: 3 })]],
    });
    emulator = await start();
    expect((await invoke('getPage')).body).toMatchObject({ ok: true, value: { views: 4 } });
  });
});

/**
 * The legacy `storage` of `@forge/api` 7 (many apps still use it) in a JavaScript resolver: the same store, through
 * the GraphQL API that `@forge/storage` calls. The app's node_modules has `@forge/api` 7 (the copy `@forge/kvs`
 * depends on), as an app on that version would.
 */
describe('emulate --forge: the legacy storage API of @forge/api 7', () => {
  let folder: string;
  let emulator: RunningEmulator;

  const LEGACY_SOURCE = `
import Resolver from '@forge/resolver';
import { storage, startsWith } from '@forge/api';

const resolver = new Resolver();
resolver.define('remember', async ({ payload }) => {
  await storage.set(payload.key, payload.value);
  await storage.setSecret('token', 's3cret');
  return { value: await storage.get(payload.key), secret: await storage.getSecret('token'), missing: (await storage.get('nope')) ?? null };
});
resolver.define('list', async () => (await storage.query().where('key', startsWith('note-')).getMany()).results);
resolver.define('forget', async ({ payload }) => {
  await storage.delete(payload.key);
  return (await storage.get(payload.key)) ?? null;
});
export const handler = resolver.getDefinitions();
`;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-legacy-storage-'));
    const repoModules = path.join(REPO_ROOT, 'node_modules');
    await mkdir(path.join(folder, 'node_modules', '@forge'), { recursive: true });
    await symlink(
      path.join(repoModules, '@forge', 'kvs', 'node_modules', '@forge', 'api'),
      path.join(folder, 'node_modules', '@forge', 'api'),
      'dir',
    );
    await symlink(
      path.join(repoModules, '@forge', 'resolver'),
      path.join(folder, 'node_modules', '@forge', 'resolver'),
      'dir',
    );
    await mkdir(path.join(folder, 'src'));
    await writeFile(path.join(folder, 'src', 'index.js'), LEGACY_SOURCE);
    await mkdir(path.join(folder, 'static'));
    await writeFile(
      path.join(folder, 'static', 'index.html'),
      '<!doctype html><html><head></head><body></body></html>',
    );
    await writeFile(
      path.join(folder, 'manifest.yml'),
      [
        'modules:',
        '  macro:',
        '    - key: legacy-macro',
        '      resource: main',
        '      title: Legacy',
        '      resolver:',
        '        function: resolver',
        '  function:',
        '    - key: resolver',
        '      handler: index.handler',
        'resources:',
        '  - key: main',
        '    path: static',
        '',
      ].join('\n'),
    );
    emulator = await startEmulator({
      forgeManifest: await readForgeManifest(path.join(folder, 'manifest.yml')),
      port: 0,
      output: { error: () => {} },
    });
  });
  afterAll(async () => {
    await emulator?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const invoke = async (functionKey: string, payload?: unknown) => {
    const response = await pageRequest(emulator.emulatorUrl, 'forge/invoke', {
      functionKey,
      payload,
      moduleKey: 'legacy-macro',
      user: USERS.editor.accountId,
    });
    return (await response.json()) as Record<string, unknown>;
  };

  it('sets, gets, lists by prefix and deletes, secrets apart', async () => {
    expect(await invoke('remember', { key: 'note-1', value: { text: 'one', done: false } })).toMatchObject({
      ok: true,
      value: { value: { text: 'one', done: false }, secret: 's3cret', missing: null },
    });
    await invoke('remember', { key: 'note-2', value: 2 });
    await invoke('remember', { key: 'other', value: 3 });
    expect((await invoke('list')).value).toEqual([
      { key: 'note-1', value: { text: 'one', done: false } },
      { key: 'note-2', value: 2 },
    ]);
    expect(await invoke('forget', { key: 'note-1' })).toMatchObject({ ok: true, value: null });
  });
});
