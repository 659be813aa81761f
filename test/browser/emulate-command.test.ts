import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as atlassianJwt from 'atlassian-jwt';
import { spawn, type ChildProcess } from 'node:child_process';
import { buildPackageOnce } from '../package/support/build-package.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCliArguments, runCli } from '../../emulator/cli';
import { REPO_ROOT } from '../../emulator/node/emulator-server';
import { loadExtraHandlers } from '../../emulator/node/extra-handlers';
import { freePort } from '../../emulator/node/ports';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { PAGES, USERS, type ConfluenceWorld } from '../../src/testing/core';
import { hasChromium, launchChromium } from './support/chromium';
import { pageRequest } from '../emulator/support/page-request';
import { screenshot } from './support/screenshots';

/**
 * `confluence-iframe-kit emulate --app <descriptor URL>` hosting an app that is not ours: a minimal Connect app
 * written here on node:http and atlassian-jwt, sharing no code with the repository. It verifies the signed install
 * against the emulator's key server, its iframe JWTs (qsh and sub) with the shared secret it was given, and calls
 * the emulated site's REST API over HTTP with its own JWT.
 */

const APP_KEY = 'com.example.not-ours';
/** `emulate --handlers` input: one endpoint the emulated site lacks; and a module that exports no handlers. */
const HANDLERS_FILE = path.join(REPO_ROOT, 'test', 'browser', 'fixtures', 'extra-handlers.mjs');
const NOT_HANDLERS = path.join(REPO_ROOT, 'test', 'browser', 'fixtures', 'not-handlers.mjs');
const FIVE_MINUTES_S = 5 * 60;

interface ForeignTenant {
  clientKey: string;
  sharedSecret: string;
  baseUrl: string;
}

/** The foreign app: its server, the tenant it stored at install, and what its install check saw. */
interface ForeignApp {
  baseUrl: string;
  tenant: () => ForeignTenant | undefined;
  installs: { status: number; reason?: string }[];
  /** The app's backend calling the site: `signed` with its JWT, `unsigned`, or signed with a `wrong` secret. */
  callSite(sitePath: string, signing: 'signed' | 'unsigned' | 'wrong'): Promise<number>;
  /** A signed GET of the site's REST API, answered in full. */
  getSite(sitePath: string): Promise<Response>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** The macro page: calls AP.request in the promise form and in both callback forms, and shows each outcome. */
function macroHtml(allJsUrl: string, verifiedSub: string): string {
  return `<!doctype html><html><head><script src="${allJsUrl}"></script></head>
<body><main id="content" data-verified-sub="${verifiedSub}">
<p>promise: <span id="promise">pending</span></p>
<p>url and options: <span id="url-options">pending</span></p>
<p>options only: <span id="options-only">pending</span></p>
</main>
<script>
  function show(id, text) { document.getElementById(id).textContent = text; }
  function accountOf(text) { return JSON.parse(text).accountId; }
  AP.request('/rest/api/user/current').then(
    function (response) { show('promise', accountOf(response.body)); },
    function (failure) { show('promise', 'refused ' + failure.xhr.status); }
  );
  AP.request('/rest/api/user/current', {
    success: function (text, status, xhr) { show('url-options', accountOf(text) + ' ' + status + ' ' + xhr.getResponseHeader('Content-Type')); },
    error: function (xhr, status) { show('url-options', 'refused ' + xhr.status + ' ' + status); }
  });
  AP.request({
    url: '/rest/api/user/current',
    success: function (text) { show('options-only', accountOf(text)); },
    error: function (xhr) { show('options-only', 'refused ' + xhr.status); }
  });
</script></body></html>`;
}

async function startForeignApp(installKeysUrl: () => string): Promise<ForeignApp> {
  let tenant: ForeignTenant | undefined;
  const installs: ForeignApp['installs'] = [];
  let baseUrl = '';

  async function installed(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(req)) as ForeignTenant;
    const token = (req.headers.authorization ?? '').replace(/^JWT /, '');
    const refuse = (reason: string) => {
      installs.push({ status: 401, reason });
      res.writeHead(401).end(reason);
    };
    if (atlassianJwt.getAlgorithm(token) !== 'RS256') return refuse('not RS256');
    const keyId = String(atlassianJwt.getKeyId(token));
    const publicKey = await (await fetch(`${installKeysUrl()}/${keyId}`)).text();
    let claims: { iss?: string; aud?: string | string[]; qsh?: string };
    try {
      claims = atlassianJwt.decodeAsymmetric(token, publicKey, atlassianJwt.AsymmetricAlgorithm.RS256) as typeof claims;
    } catch {
      return refuse('bad signature');
    }
    const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (claims.iss !== body.clientKey) return refuse('iss is not the client key');
    if (audience !== baseUrl) return refuse('aud is not our base URL');
    const qsh = atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl('POST', '/installed'), false, baseUrl);
    if (claims.qsh !== qsh) return refuse('wrong qsh');
    tenant = { clientKey: body.clientKey, sharedSecret: body.sharedSecret, baseUrl: body.baseUrl };
    installs.push({ status: 204 });
    res.writeHead(204).end();
  }

  function macro(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', baseUrl);
    const token = url.searchParams.get('jwt') ?? '';
    if (!tenant) return void res.writeHead(401).end('not installed');
    let claims: { sub?: string; qsh?: string };
    try {
      claims = atlassianJwt.decodeSymmetric(token, tenant.sharedSecret, atlassianJwt.SymmetricAlgorithm.HS256) as {
        sub?: string;
        qsh?: string;
      };
    } catch {
      return void res.writeHead(401).end('bad jwt');
    }
    const qsh = atlassianJwt.createQueryStringHash(
      atlassianJwt.fromMethodAndUrl('GET', req.url ?? '/'),
      false,
      baseUrl,
    );
    if (claims.qsh !== qsh) return void res.writeHead(401).end('wrong qsh');
    const allJsUrl = `${url.searchParams.get('xdm_e') ?? ''}${url.searchParams.get('cp') ?? ''}/atlassian-connect/all.js`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(macroHtml(allJsUrl, claims.sub ?? ''));
  }

  const server: Server = createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    if (route === '/atlassian-connect.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          key: APP_KEY,
          name: 'Not ours',
          baseUrl,
          authentication: { type: 'jwt' },
          apiMigrations: { 'signed-install': true },
          lifecycle: { installed: '/installed' },
          scopes: ['READ'],
          modules: {
            dynamicContentMacros: [
              { key: 'who-am-i', name: { value: 'Who am I' }, url: '/macro?pageId={page.id}', outputType: 'block' },
            ],
            generalPages: [{ key: 'about', name: { value: 'About' }, url: '/macro?page=about' }],
            adminPages: [{ key: 'settings', name: { value: 'Settings' }, url: '/macro?page=settings' }],
          },
        }),
      );
      return;
    }
    if (route === '/installed' && req.method === 'POST') {
      installed(req, res).catch(() => res.writeHead(500).end());
      return;
    }
    if (route === '/macro') return macro(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function requestSite(sitePath: string, signing: 'signed' | 'unsigned' | 'wrong'): Promise<Response> {
    if (!tenant) throw new Error('not installed');
    const url = new URL(tenant.baseUrl + sitePath);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (signing !== 'unsigned') {
      const now = Math.floor(Date.now() / 1000);
      const qsh = atlassianJwt.createQueryStringHash(
        atlassianJwt.fromMethodAndUrl('GET', url.pathname + url.search),
        false,
        tenant.baseUrl,
      );
      const secret = signing === 'signed' ? tenant.sharedSecret : 'not-the-shared-secret-at-all-000000';
      const token = atlassianJwt.encodeSymmetric({ iss: APP_KEY, iat: now, exp: now + FIVE_MINUTES_S, qsh }, secret);
      headers.authorization = `JWT ${token}`;
    }
    return fetch(url, { headers });
  }

  return {
    baseUrl,
    tenant: () => tenant,
    installs,
    async callSite(sitePath, signing) {
      return (await requestSite(sitePath, signing)).status;
    },
    getSite: (sitePath) => requestSite(sitePath, 'signed'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('confluence-iframe-kit emulate (the command line)', () => {
  const run = async (args: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const result = await runCli(args, { log: (line) => lines.push(line), error: (line) => errors.push(line) });
    await result.close?.();
    return { ...result, lines, errors };
  };

  it('lists its options with --help', async () => {
    const { exitCode, lines } = await run(['emulate', '--help']);
    expect(exitCode).toBe(0);
    for (const option of ['--app', '--port', '--data', '--user', '--site', '--help']) {
      expect(lines.join('\n')).toContain(option);
    }
  });

  it('refuses a bad option, a missing --app, a bad port and an unknown user with one line and exit code 1', async () => {
    for (const args of [
      ['emulate', '--bogus'],
      ['emulate'],
      ['emulate', '--app', 'not a url'],
      ['emulate', '--app', 'http://127.0.0.1:9/atlassian-connect.json', '--port', 'eighty'],
      ['emulate', '--app', 'http://127.0.0.1:9/atlassian-connect.json', '--port', '0', '--user', 'nobody'],
      ['launch'],
    ]) {
      const { exitCode, errors } = await run(args);
      expect(exitCode, args.join(' ')).toBe(1);
      expect(errors, args.join(' ')).toHaveLength(1);
      expect(errors[0], args.join(' ')).not.toMatch(/\n|\bat .*\(/);
    }
  });

  it('says in one line that the descriptor cannot be reached', async () => {
    const port = await freePort('127.0.0.1');
    const { exitCode, errors, lines } = await run([
      'emulate',
      '--app',
      `http://127.0.0.1:${port}/atlassian-connect.json`,
      '--port',
      '0',
    ]);
    expect(exitCode).toBe(1);
    expect(errors).toEqual([`descriptor: cannot reach http://127.0.0.1:${port}/atlassian-connect.json (ECONNREFUSED)`]);
    expect(lines.some((line) => line.startsWith('Emulator:'))).toBe(false);
  });
  it('loads --handlers (an ES module of msw handlers), and says in one line when the file holds none', async () => {
    const parsed = await parseCliArguments(['--app', 'http://127.0.0.1:9/d.json', '--handlers', HANDLERS_FILE]);
    expect(parsed).toMatchObject({ handlers: [expect.objectContaining({ run: expect.any(Function) })] });
    const notHandlers = await run(['emulate', '--app', 'http://127.0.0.1:9/d.json', '--handlers', NOT_HANDLERS]);
    expect(notHandlers.exitCode).toBe(1);
    expect(notHandlers.errors).toEqual([
      `--handlers: ${NOT_HANDLERS} exports no array of msw handlers (default or "handlers")`,
    ]);
    const missing = await run(['emulate', '--app', 'http://127.0.0.1:9/d.json', '--handlers', 'no-such-file.mjs']);
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors[0]).toMatch(/^--handlers: cannot load no-such-file\.mjs/);
  });
});

describe('emulate --data: the tenant survives a restart', () => {
  it('re-installs the same tenant (client key and shared secret) on the same site', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cik-emulate-data-'));
    const port = await freePort();
    const app = await startForeignApp(() => `http://localhost:${port}/__emulator/install-keys`);
    try {
      const secrets: string[] = [];
      for (let run = 0; run < 2; run++) {
        const emulator = await startEmulator({ descriptorUrl: `${app.baseUrl}/atlassian-connect.json`, port, dataDir });
        secrets.push(app.tenant()!.sharedSecret);
        await emulator.close();
      }
      expect(app.installs).toEqual([{ status: 204 }, { status: 204 }]);
      expect(secrets[1]).toBe(secrets[0]);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('reads --site as createWorld takes it, and says in one line when the file is not JSON', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cik-emulate-site-'));
    try {
      const broken = path.join(dataDir, 'broken.json');
      await writeFile(broken, '{ users: ');
      const lines: string[] = [];
      const errors: string[] = [];
      const output = { log: (line: string) => lines.push(line), error: (line: string) => errors.push(line) };
      const result = await runCli(['emulate', '--app', 'http://127.0.0.1:9/d.json', '--site', broken], output);
      expect(result.exitCode).toBe(1);
      expect(errors).toEqual([`--site: ${broken} is not JSON`]);
      const site = path.join(dataDir, 'site.json');
      await writeFile(site, JSON.stringify({ users: [{ ...USERS.viewer, accountId: 'only-user-1' }] }));
      const parsed = await parseCliArguments(['--app', 'http://127.0.0.1:9/d.json', '--site', site, '--user', 'x']);
      expect(parsed).toMatchObject({ site: { users: [{ accountId: 'only-user-1' }] }, actingUser: 'x' });
      const unknownUser = await runCli(
        ['emulate', '--app', 'http://127.0.0.1:9/d.json', '--port', '0', '--site', site, '--user', 'editor'],
        output,
      );
      expect(unknownUser.exitCode).toBe(1);
      expect(errors.at(-1)).toBe('--user: the site has no user "editor"');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('emulate --app: a Connect app that is not ours', () => {
  let app: ForeignApp;
  let emulator: RunningEmulator;
  let emulatorPort: number;

  beforeAll(async () => {
    emulatorPort = await freePort();
    app = await startForeignApp(() => `http://localhost:${emulatorPort}/__emulator/install-keys`);
    emulator = await startEmulator({
      descriptorUrl: `${app.baseUrl}/atlassian-connect.json`,
      port: emulatorPort,
      handlers: await loadExtraHandlers(HANDLERS_FILE),
    });
  });
  afterAll(async () => {
    await emulator?.close();
    await app?.close();
  });

  it('installs the app with a signed RS256 install the app verified against the emulator key server', () => {
    expect(emulator.install).toEqual({ ok: true, status: 204 });
    expect(app.installs).toEqual([{ status: 204 }]);
    expect(app.tenant()?.baseUrl).toBe(emulator.siteUrl);
    expect(emulator.installKeysUrl).toBe(`http://localhost:${emulatorPort}/__emulator/install-keys`);
  });

  it("answers the app backend's own REST calls over HTTP: with its JWT 200, unsigned or wrongly signed 401", async () => {
    expect(await app.callSite('/rest/api/space', 'signed')).toBe(200);
    expect(await app.callSite('/rest/api/space', 'unsigned')).toBe(401);
    expect(await app.callSite('/rest/api/space', 'wrong')).toBe(401);
    expect(await app.callSite('/api/v2/spaces?limit=5', 'signed')).toBe(200);
    expect(await app.callSite('/api/v2/spaces?limit=5', 'unsigned')).toBe(401);
  });

  it("answers the backend as the app: a caller cannot pick the acting user with the kit's X-Emulator-Account-Id", async () => {
    const tenant = app.tenant()!;
    const now = Math.floor(Date.now() / 1000);
    const userPath = '/rest/api/user/current';
    const qsh = atlassianJwt.createQueryStringHash(
      atlassianJwt.fromMethodAndUrl('GET', userPath),
      false,
      tenant.baseUrl,
    );
    const token = atlassianJwt.encodeSymmetric({ iss: APP_KEY, iat: now, exp: now + 60, qsh }, tenant.sharedSecret);
    const response = await fetch(tenant.baseUrl + userPath, {
      headers: { authorization: `JWT ${token}`, 'X-Emulator-Account-Id': USERS.noAccess.accountId },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accountId: string }).accountId).toBe(USERS.admin.accountId);
  });

  it("answers the backend's call to an endpoint the site lacks from --handlers, and the site's own as before", async () => {
    const likes = await app.getSite('/rest/api/example-likes/65601');
    expect(likes.status).toBe(200);
    expect(await likes.json()).toEqual({ contentId: '65601', likes: 3 });
    expect(await app.callSite('/rest/api/space?limit=3', 'signed')).toBe(200);
  });

  it('refuses a JWT that is not from the app: another iss, or no exp', async () => {
    const tenant = app.tenant()!;
    const now = Math.floor(Date.now() / 1000);
    const qsh = atlassianJwt.createQueryStringHash(
      atlassianJwt.fromMethodAndUrl('GET', '/rest/api/space'),
      false,
      tenant.baseUrl,
    );
    for (const claims of [
      { iss: 'com.example.someone-else', iat: now, exp: now + 60, qsh },
      { iss: APP_KEY, iat: now, qsh },
    ]) {
      const token = atlassianJwt.encodeSymmetric(claims, tenant.sharedSecret);
      const response = await fetch(`${tenant.baseUrl}/rest/api/space`, { headers: { authorization: `JWT ${token}` } });
      expect(response.status).toBe(401);
    }
  });

  it('answers a signed call with a body over the limit with 413, not a server error', async () => {
    const tenant = app.tenant()!;
    const now = Math.floor(Date.now() / 1000);
    const pagesPath = '/api/v2/pages';
    const qsh = atlassianJwt.createQueryStringHash(
      atlassianJwt.fromMethodAndUrl('POST', pagesPath),
      false,
      tenant.baseUrl,
    );
    const token = atlassianJwt.encodeSymmetric({ iss: APP_KEY, iat: now, exp: now + 60, qsh }, tenant.sharedSecret);
    const response = await fetch(tenant.baseUrl + pagesPath, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: 'x'.repeat(6 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
  });

  it('refuses a JWT whose qsh is for another request', async () => {
    const tenant = app.tenant()!;
    const now = Math.floor(Date.now() / 1000);
    const qsh = atlassianJwt.createQueryStringHash(
      atlassianJwt.fromMethodAndUrl('GET', '/wiki/rest/api/content/1'),
      false,
      tenant.baseUrl,
    );
    const token = atlassianJwt.encodeSymmetric({ iss: APP_KEY, iat: now, exp: now + 60, qsh }, tenant.sharedSecret);
    const response = await fetch(`${tenant.baseUrl}/rest/api/space`, { headers: { authorization: `JWT ${token}` } });
    expect(response.status).toBe(401);
  });

  it("takes a backend call's answer only from the emulator page, only for a call that waits for one", async () => {
    const answerUrl = `${emulator.emulatorUrl}__emulator/backend-answer`;
    const answer = { status: 200, statusText: 'OK', headers: {}, body: '{}' };
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      pageRequest(emulator.emulatorUrl, 'backend-answer', body, headers);
    expect(
      (await post({ id: 'f0f0f0f0-0000-4000-8000-000000000000', answer }, { origin: 'http://evil.example' })).status,
    ).toBe(403);
    expect((await post({ id: 'f0f0f0f0-0000-4000-8000-000000000000', answer })).status).toBe(404);
    expect(
      (
        await fetch(answerUrl, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', origin: new URL(answerUrl).origin },
          body: '{}',
        })
      ).status,
    ).toBe(400);
  });

  it('lists every iframe module of the descriptor in the config', async () => {
    const config = (await (await pageRequest(emulator.emulatorUrl, 'config')).json()) as {
      modules: { key: string; moduleType: string }[];
    };
    expect(config.modules.map((module) => [module.key, module.moduleType])).toEqual([
      ['who-am-i', 'dynamicContentMacros'],
      ['about', 'generalPages'],
      ['settings', 'adminPages'],
    ]);
  });

  it('serves all.js with the request-callbacks adapter at /atlassian-connect/all.js and under /wiki', async () => {
    for (const path of ['atlassian-connect/all.js', 'wiki/atlassian-connect/all.js']) {
      const response = await fetch(`${emulator.emulatorUrl}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("AP.request's success/error callbacks");
    }
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("shows the editor's accountId through AP.request in the promise form and both callback forms", async () => {
      const page = await browser.context.newPage();
      await page.goto(`${emulator.emulatorUrl}?user=editor`);
      const macro = page.frameLocator('[data-testid=macro-slot] iframe.ap-iframe');
      const editor = USERS.editor.accountId;
      await expect.poll(() => macro.locator('#promise').textContent()).toBe(editor);
      await expect
        .poll(() => macro.locator('#url-options').textContent())
        .toMatch(new RegExp(`^${editor} success application/json`));
      await expect.poll(() => macro.locator('#options-only').textContent()).toBe(editor);
      // The app's own check of the iframe JWT: its sub is the acting user.
      expect(await macro.locator('#content').getAttribute('data-verified-sub')).toBe(editor);
      await screenshot(page, 'emulate-foreign-app-editor');

      await page
        .getByLabel('Acting user', { exact: true })
        .selectOption({ label: 'Nico No-Access (no Confluence access)' });
      await expect.poll(() => macro.locator('#promise').textContent()).toBe('refused 403');
      await expect.poll(() => macro.locator('#url-options').textContent()).toBe('refused 403 error');
      await expect.poll(() => macro.locator('#options-only').textContent()).toBe('refused 403');
      expect(await macro.locator('#content').getAttribute('data-verified-sub')).toBe(USERS.noAccess.accountId);

      // The app backend's own REST calls over HTTP show in the page's request log, marked as backend calls.
      const backendRows = page.locator('[data-testid=request-log] li[data-host=backend]');
      await expect
        .poll(async () => {
          await app.callSite('/rest/api/space?limit=3', 'signed');
          return backendRows
            .filter({ hasText: '/rest/api/space?limit=3' })
            .and(page.locator('[data-status="200"]'))
            .count();
        })
        .toBeGreaterThan(0);
      expect(await app.callSite('/rest/api/space?unsigned=1', 'unsigned')).toBe(401);
      await expect
        .poll(() => backendRows.filter({ hasText: '/rest/api/space?unsigned=1' }).getAttribute('data-status'))
        .toBe('401');
      expect(await backendRows.first().getByTestId('log-sender').textContent()).toBe('app backend');

      // The backend and the page share one site: a title changed in the page's site is what the backend reads.
      await page.evaluate((pageId) => {
        const emulated = (window as unknown as { __confluenceEmulator: { world: ConfluenceWorld } })
          .__confluenceEmulator;
        emulated.world.pages.get(pageId)!.title = 'Renamed in the page';
      }, PAGES.gettingStarted);
      const read = await app.getSite(`/api/v2/pages/${PAGES.gettingStarted}`);
      expect(read.status).toBe(200);
      expect(((await read.json()) as { title: string }).title).toBe('Renamed in the page');

      // Every iframe module is in the controls; the admin page is hosted full-width from its own signed URL.
      await page.getByLabel('Module', { exact: true }).selectOption('settings');
      await expect
        .poll(() => page.locator('[data-testid=macro-slot] iframe.ap-iframe').getAttribute('src'))
        .toMatch(/\/macro\?page=settings&/);
      expect(browser.external).toEqual([]);
      await page.close();
    });
  });
});

/** The command as the package ships it (`npm run build:emulator`): no vite, no sources, no devDependencies. */
const BUILT_CLI = path.join(REPO_ROOT, 'dist', 'emulator', 'cli.js');

describe.skipIf(!hasChromium)('the built command (dist/emulator/cli.js)', () => {
  let app: ForeignApp;
  let command: ChildProcess;
  let emulatorUrl: string;

  beforeAll(async () => {
    // Built here rather than skipped when missing (a clean clone has no dist/), under the package tests' build lock.
    await buildPackageOnce();
    const port = await freePort();
    app = await startForeignApp(() => `http://localhost:${port}/__emulator/install-keys`);
    command = spawn(
      process.execPath,
      [BUILT_CLI, 'emulate', '--app', `${app.baseUrl}/atlassian-connect.json`, '--port', String(port)],
      { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    emulatorUrl = await new Promise<string>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const line = /^Emulator: (\S+)$/m.exec(output);
        if (line?.[1]) resolve(line[1]);
      };
      command.stdout?.on('data', onData);
      command.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      command.once('exit', (code) => reject(new Error(`the command exited (${code}): ${output}`)));
    });
  });
  afterAll(async () => {
    command?.kill('SIGTERM');
    await app?.close();
  });

  it('serves the prebuilt page, and the macro shows the acting user through AP.request', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${emulatorUrl}?user=viewer`);
      const macro = page.frameLocator('[data-testid=macro-slot] iframe.ap-iframe');
      await expect.poll(() => macro.locator('#options-only').textContent()).toBe(USERS.viewer.accountId);
      expect(browser.external).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
