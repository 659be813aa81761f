import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pageListMacro } from '../../examples/page-list-macro/dev-app';
import { startDevEnvironment, type DevEnvironment } from '../../emulator/node/dev-environment';
import {
  FORGE_REMOTE_TIMEOUT_MS,
  RemoteTimeout,
  createForgeInvocationService,
} from '../../emulator/node/forge-invocation';
import { USERS } from '../../src/testing/core';
import { REQUEST_CALLBACKS_ADAPTER } from '../../emulator/node/atlassian-connect-files';
import { pageRequest } from './support/page-request';

/**
 * The Node half of `npm run dev` without a browser: the emulator installs the app into itself (signed RS256,
 * its own key server) and mints module URLs and context tokens the reference server accepts.
 */
describe('dev environment: emulator ↔ reference server over HTTP', () => {
  let env: DevEnvironment;
  let dataDir: string;
  const api = (route: string, params: Record<string, string> = {}) => pageRequest(env.emulatorUrl, route, params);
  const ctx = {
    user: USERS.editor.accountId,
    pageId: '65601',
    pageVersion: '7',
    spaceKey: 'ENG',
    spaceId: '98305',
    macroId: 'm-1',
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cik-dev-env-'));
    env = await startDevEnvironment({
      app: pageListMacro,
      appPort: 0,
      emulatorPort: 0,
      dataDir,
      hmr: false,
      watch: false,
      log: () => {},
    });
  });
  afterAll(async () => {
    await env?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('never serves the tenant store or its key from the repo folder, on either origin', async () => {
    const repoData = path.join(path.dirname(createRequire(import.meta.url).resolve('../../package.json')), 'data');
    const probe = `cik-deny-probe-${process.pid}`;
    await mkdir(repoData, { recursive: true });
    await writeFile(path.join(repoData, `${probe}.db`), 'SQLite format 3');
    await writeFile(path.join(repoData, `${probe}.key`), 'secret');
    try {
      for (const origin of [env.appUrl, env.emulatorUrl]) {
        for (const file of [`${probe}.db`, `${probe}.key`]) {
          const response = await fetch(new URL(`/data/${file}`, origin));
          expect(response.status, `${origin} /data/${file}`).toBe(403);
        }
      }
    } finally {
      await rm(path.join(repoData, `${probe}.db`), { force: true });
      await rm(path.join(repoData, `${probe}.key`), { force: true });
    }
  });

  it('runs the app and the emulator on different origins', () => {
    expect(new URL(env.appUrl).origin).not.toBe(new URL(env.emulatorUrl).origin);
  });

  it('installed the app with a signed install: the tenant is in the SQLite file', async () => {
    const config = (await (await api('config')).json()) as {
      install: { ok: boolean; status: number };
      productBaseUrl: string;
    };
    expect(config.install).toEqual({ ok: true, status: 204 });
    const db = new Database(path.join(dataDir, 'tenants.db'), { readonly: true });
    try {
      // Whatever the table is called: find the one with the tenant columns.
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%client_key%'")
        .all() as { name: string }[];
      expect(tables).toHaveLength(1);
      const row = db
        .prepare(`SELECT client_key, base_url, state, shared_secret FROM "${tables[0]!.name}"`)
        .get() as Record<string, string>;
      expect(row).toMatchObject({
        client_key: 'confluence-emulator-local',
        base_url: config.productBaseUrl,
        state: 'installed',
      });
      // The shared secret is stored encrypted, not as sent.
      expect(row.shared_secret).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      db.close();
    }
  });

  it('serves the install public key by kid, and 404 for an unknown kid', async () => {
    const unknown = await fetch(`${env.emulatorUrl}__emulator/install-keys/6f1d8c1e-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
  });

  it('mints a module URL the reference server accepts, with the acting user as sub', async () => {
    const { url } = (await (await api('iframe-url', { module: 'page-list-macro', ...ctx })).json()) as { url: string };
    const moduleUrl = new URL(url);
    expect(moduleUrl.origin).toBe(new URL(env.appUrl).origin);
    expect(moduleUrl.searchParams.get('pageId')).toBe('65601');
    const claims = decodeJwt(moduleUrl.searchParams.get('jwt')!);
    expect(claims.sub).toBe(USERS.editor.accountId);
    expect(claims.qsh).toMatch(/^[0-9a-f]{64}$/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(new URL(env.emulatorUrl).origin);
    expect(await page.text()).toContain('/atlassian-connect/all.js');

    // The qsh binds the token to this exact URL: change one parameter and the server refuses it.
    moduleUrl.searchParams.set('pageId', '65602');
    expect((await fetch(moduleUrl)).status).toBe(401);
  });

  it("lists the macro's custom editor from the descriptor in the emulator config", async () => {
    const config = (await (await api('config')).json()) as {
      modules: { key: string; editor?: Record<string, string> }[];
    };
    const macro = config.modules.find((m) => m.key === 'page-list-macro');
    expect(macro?.editor).toMatchObject({
      title: 'Edit page list',
      insertTitle: 'Insert page list',
      width: '480px',
      height: '260px',
    });
    expect(macro?.editor?.url).toMatch(/^\/macro-editor\?/);
    expect(config.modules.find((m) => m.key === 'page-browser')?.editor).toBeUndefined();
  });

  it('mints a macro editor URL with the current parameters that the reference server accepts; a tampered parameter fails the qsh', async () => {
    const macroParams = { module: 'page-list-macro', ...ctx, 'p.title': 'Release notes', 'p.limit': '7' };
    const { url } = (await (await api('iframe-url', { ...macroParams, editor: '1' })).json()) as { url: string };
    const editorUrl = new URL(url);
    expect(editorUrl.origin).toBe(new URL(env.appUrl).origin);
    expect(editorUrl.pathname).toBe('/macro-editor');
    expect(Object.fromEntries(editorUrl.searchParams)).toMatchObject({
      pageId: '65601',
      spaceKey: 'ENG',
      macroId: 'm-1',
      title: 'Release notes',
      limit: '7',
      xdm_c: 'channel-page-list-macro-editor',
    });
    expect(decodeJwt(editorUrl.searchParams.get('jwt')!).sub).toBe(USERS.editor.accountId);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(new URL(env.emulatorUrl).origin);
    expect(await page.text()).toContain('/atlassian-connect/all.js');

    const tampered = new URL(url);
    tampered.searchParams.set('limit', '50');
    expect((await fetch(tampered)).status).toBe(401);
    // The macro's own token is bound to /macro: on the editor route, with the same query, its qsh does not match.
    const { url: macroUrl } = (await (await api('iframe-url', macroParams)).json()) as { url: string };
    const borrowed = new URL(url);
    borrowed.searchParams.set('jwt', new URL(macroUrl).searchParams.get('jwt')!);
    expect((await fetch(borrowed)).status).toBe(401);
  });

  it('lists the dialog module with its descriptor options and mints its URL like any module; an unsigned one is refused', async () => {
    const config = (await (await api('config')).json()) as {
      modules: { key: string; kind: string; dialogOptions?: object }[];
    };
    const dialog = config.modules.find((m) => m.key === 'page-review-dialog');
    expect(dialog).toMatchObject({
      kind: 'dialog',
      dialogOptions: { size: 'medium', chrome: false, header: { value: 'Review page' } },
    });
    const { url } = (await (await api('iframe-url', { module: 'page-review-dialog', ...ctx })).json()) as {
      url: string;
    };
    const dialogUrl = new URL(url);
    expect(dialogUrl.pathname).toBe('/dialog');
    expect(Object.fromEntries(dialogUrl.searchParams)).toMatchObject({
      pageId: '65601',
      spaceKey: 'ENG',
      xdm_c: 'channel-page-review-dialog',
    });
    expect((await fetch(url)).status).toBe(200);
    const unsigned = new URL(url);
    unsigned.searchParams.delete('jwt');
    expect((await fetch(unsigned)).status).toBe(401);
  });

  it('mints a context token (qsh "context-qsh") that /api/verify accepts for the acting user', async () => {
    const { token } = (await (await api('context-token', { ...ctx, user: USERS.viewer.accountId })).json()) as {
      token: string;
    };
    expect(decodeJwt(token).qsh).toBe('context-qsh');
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const verified = await fetch(`${env.appUrl}/api/verify`, { headers: { authorization: `JWT ${token}` } });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { accountId: string }).accountId).toBe(USERS.viewer.accountId);
    // A context token is not an iframe token: the module route refuses it.
    expect((await fetch(`${env.appUrl}/macro?jwt=${token}`)).status).toBe(401);
  });

  it('serves the real all.js from node_modules, with only its CDN base pointed at the app origin and the request-callbacks adapter after it', async () => {
    const res = await fetch(`${env.appUrl}/atlassian-connect/all.js`);
    expect(res.status).toBe(200);
    const original = (
      await readFile(createRequire(import.meta.url).resolve('atlassian-connect-js/dist/iframe.js'), 'utf8')
    ).split('\n');
    const servedText = await res.text();
    expect(servedText.endsWith(REQUEST_CALLBACKS_ADAPTER)).toBe(true);
    const served = servedText.slice(0, -REQUEST_CALLBACKS_ADAPTER.length).split('\n');
    expect(served).toHaveLength(original.length);
    const changed = served.filter((line, i) => line !== original[i]);
    expect(changed.map((l) => l.trim())).toEqual(['var CDN_URL = location.origin + "/atlassian-connect";']);

    const theme = await fetch(`${env.appUrl}/atlassian-connect/themes/atlaskit-tokens_dark.css`);
    expect(theme.status).toBe(200);
    expect(await theme.text()).toContain('--ds-surface');
    expect((await fetch(`${env.appUrl}/atlassian-connect/themes/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  describe('Forge mode', () => {
    const invoke = (body: unknown, headers: Record<string, string> = {}) =>
      pageRequest(env.emulatorUrl, 'forge/invoke-remote', body, headers);
    const call = {
      user: USERS.editor.accountId,
      moduleKey: 'page-list-macro',
      context: { pageId: '65601', spaceId: '98305', spaceKey: 'ENG', localId: 'm-1' },
      path: '/api/verify',
      method: 'GET',
      headers: {},
    };

    it('serves the Custom UI page statically, the emulator shim first, framable only by the emulator', async () => {
      const res = await fetch(`${env.appUrl}/forge/macro`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(`frame-ancestors ${new URL(env.emulatorUrl).origin}`);
      const html = await res.text();
      expect(html.indexOf('<script src="/forge-bridge-emulator.js"></script>')).toBeLessThan(
        html.indexOf('<script type="module"'),
      );
      expect(html).toContain('/examples/page-list-macro/web/forge-main.tsx');
      const shim = await (await fetch(`${env.appUrl}/forge-bridge-emulator.js`)).text();
      // The only origin the shim trusts is built in by the server.
      expect(shim).toContain(JSON.stringify(new URL(env.emulatorUrl).origin));
    });

    it('invokes the remote with a FIT for the acting user that the reference server verifies against the emulator JWKS', async () => {
      const res = await invoke(call);
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { status: number; body: { host: string; accountId: string } };
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ host: 'forge', accountId: USERS.editor.accountId });
      // Without the platform's token the remote refuses.
      const direct = await fetch(`${env.appUrl}/forge-remote/api/verify`, {
        headers: { authorization: 'Bearer a.b.c' },
      });
      expect(direct.status).toBe(401);
    });

    it('refuses a foreign origin, a URL instead of a path, and a non-JSON body', async () => {
      expect((await invoke(call, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await invoke({ ...call, path: '//evil.example/x' })).status).toBe(400);
      const text = await fetch(`${env.emulatorUrl}__emulator/forge/invoke-remote`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: new URL(env.emulatorUrl).origin },
        body: '{}',
      });
      expect(text.status).toBe(400);
    });

    it('refuses a path that would leave the remote (.., %2e%2e, backslashes, encoded slashes): no FIT reaches other app routes', async () => {
      for (const path of [
        '/../api/verify',
        '/%2e%2e/api/verify',
        '/.%2E/api/verify',
        '/x/../../api/verify',
        '/..\\api/verify',
        '/%2e%2e%2fapi/verify',
      ]) {
        const res = await invoke({ ...call, path });
        const body = (await res.json()) as { error?: { code: string; message: string } };
        expect([path, res.status, body.error?.code]).toEqual([path, 400, 'BAD_REQUEST']);
      }
      // Dots that stay inside the remote are fine.
      expect((await invoke({ ...call, path: '/x/../api/verify' })).status).toBe(200);
    });

    it('refuses an invalid header name or value with 400 naming the header, never echoing the value', async () => {
      for (const headers of [
        { 'x-note': 'secret-value\r\nx-injected: 1' },
        { 'x-note': 'secret-value €' },
        { 'x note': 'secret-value' },
      ]) {
        const res = await invoke({ ...call, headers });
        const text = await res.text();
        expect(res.status, text).toBe(400);
        expect(text).not.toContain('secret-value');
      }
    });

    it("puts the calling frame's module type in the FIT (a page module is confluence:spacePage)", async () => {
      const moduleOf = async (moduleKind?: string) => {
        const res = await invoke({ ...call, moduleKey: 'page-browser', ...(moduleKind && { moduleKind }) });
        return ((await res.json()) as { body: { module: { key: string; type: string } } }).body.module;
      };
      expect(await moduleOf('page')).toEqual({ key: 'page-browser', type: 'confluence:spacePage' });
      expect(await moduleOf('macro')).toMatchObject({ type: 'confluence:macro' });
      expect((await invoke({ ...call, moduleKind: 'admin' })).status).toBe(400);
    });

    it("answers Forge's remote timeout when the remote does not answer in time", async () => {
      const silent = createServer(() => {}); // never answers
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', () => done()));
      try {
        const { port } = silent.address() as AddressInfo;
        const service = await createForgeInvocationService({
          emulatorOrigin: env.emulatorUrl,
          remoteBaseUrl: `http://127.0.0.1:${port}/forge-remote`,
          siteUrl: env.emulatorUrl,
          remoteTimeoutMs: 150,
        });
        await expect(service.invoke(call)).rejects.toBeInstanceOf(RemoteTimeout);
        expect(FORGE_REMOTE_TIMEOUT_MS).toBe(25_000);
      } finally {
        silent.closeAllConnections();
        await new Promise<void>((done) => silent.close(() => done()));
      }
    });
  });

  it('answers bad emulator API input with a typed 4xx, never a token', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['iframe-url', { module: 'page-list-macro', user: '<script>' }, 400, 'BAD_REQUEST'],
      ['iframe-url', { module: 'page-list-macro', user: 'x', pageId: '../../etc' }, 400, 'BAD_REQUEST'],
      ['iframe-url', { module: 'no-such-module', user: 'x' }, 404, 'UNKNOWN_MODULE'],
      ['iframe-url', { module: 'page-list-macro', user: 'x', editor: 'yes' }, 400, 'BAD_REQUEST'],
      ['iframe-url', { module: 'page-browser', user: 'x', editor: '1' }, 404, 'NO_EDITOR'],
      ['iframe-url', { module: 'page-list-macro', user: 'x', 'p.title': 'x'.repeat(300) }, 400, 'BAD_REQUEST'],
      ['context-token', {}, 400, 'BAD_REQUEST'],
      ['nope', {}, 404, 'NOT_FOUND'],
    ];
    for (const [route, params, status, code] of cases) {
      const res = await api(route, params);
      const body = (await res.json()) as { error: { code: string }; token?: string; url?: string };
      expect([route, res.status, body.error.code]).toEqual([route, status, code]);
      expect(body.token ?? body.url).toBeUndefined();
    }
    const get = await fetch(`${env.emulatorUrl}__emulator/context-token?user=${USERS.editor.accountId}`);
    expect(get.status).toBe(405);
    expect(await get.text()).not.toMatch(/eyJ/);
  });
});
