import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { runCli } from '../../emulator/cli';
import { REPO_ROOT } from '../../emulator/node/emulator-server';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { prepareEmulator, startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { EMULATED_CLOUD_ID } from '../../emulator/forge/forge-context';
import {
  createConnectApp,
  createNodeHandler,
  createSecretBox,
  jsonResponse,
  openTenantStore,
  type NodeHandler,
  type RouteCaller,
  type TenantStore,
} from '../../src/server/index.js';
import { USERS } from '../../src/testing/core';
import { hasChromium, launchChromium } from './support/chromium';
import { pageRequest } from '../emulator/support/page-request';
import { screenshot } from './support/screenshots';

/**
 * `confluence-iframe-kit emulate --forge manifest.yml` hosting a Forge Custom UI app that is not ours: a manifest, a
 * resource folder with a built index.html (a tiny script bundled here with the npm @forge/bridge, as an app's own
 * build would) and a remote on node:http that verifies invocation tokens with jose against the JWKS the emulator
 * prints. Nothing of the repository's example app is involved.
 */

const APP_ID = 'ari:cloud:ecosystem::app/0b5e3f7a-4d2c-4b8e-9a61-2f1c0d9e8b7a';

/** The Custom UI: what the bridge answers, each into its own element. */
const CUSTOM_UI_SCRIPT = `
import { invoke, invokeRemote, requestConfluence, requestRemote, view } from '@forge/bridge';

const show = (id, text) => { document.getElementById(id).textContent = text; };
const failed = (id) => (error) => show(id, 'error: ' + (error && error.message ? error.message : String(error)));

view.getContext().then(async (context) => {
  show('context', context.extension.type + ' ' + context.moduleKey);
  const user = await (await requestConfluence('/wiki/rest/api/user/current')).json();
  show('user', user.displayName);
  if (context.extension.content) {
    const page = await (await requestConfluence('/wiki/api/v2/pages/' + context.extension.content.id)).json();
    show('page-title', page.title);
  }
}).catch(failed('context'));
invoke('x', { any: 'payload' }).then(() => show('invoke', 'resolved'), failed('invoke'));
invokeRemote({ path: '/whoami', method: 'GET' }).then((answer) => show('invoke-remote', answer.status + ' ' + answer.body.principal), failed('invoke-remote'));
requestRemote('backend', { path: '/whoami', method: 'POST', body: JSON.stringify({ hello: 'remote' }), headers: { 'content-type': 'application/json' } })
  .then(async (response) => show('request-remote', response.status + ' ' + (await response.json()).echo.hello), failed('request-remote'));
`;

/** The macro's config resource: saves the macro's parameters with view.submit, as Forge's custom config does. */
const CONFIG_SCRIPT = `
import { view } from '@forge/bridge';

view.getContext().then((context) => {
  document.getElementById('config-context').textContent = context.extension.isConfig ? 'config of ' + context.moduleKey : 'not config';
});
document.getElementById('save').addEventListener('click', () => view.submit({ config: { greeting: 'hello' } }));
`;

const INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Not ours</title></head>
<body>
<p>context: <span id="context">pending</span></p>
<p>user: <span id="user">pending</span></p>
<p>page: <span id="page-title">pending</span></p>
<p>invoke: <span id="invoke">pending</span></p>
<p>invokeRemote: <span id="invoke-remote">pending</span></p>
<p>requestRemote: <span id="request-remote">pending</span></p>
<script src="./main.js"></script>
</body></html>`;

function manifestYaml(remoteBaseUrl: string): string {
  return `app:
  id: ${APP_ID}
modules:
  macro:
    - key: hello-macro
      resource: main
      title: Hello macro
      config:
        resource: macro-config
        title: Configure hello
      resolver:
        endpoint: backend-endpoint
  confluence:globalPage:
    - key: hello-global
      resource: main
      title: Hello global page
      resolver:
        function: resolver
  endpoint:
    - key: backend-endpoint
      remote: backend
  function:
    - key: resolver
      handler: index.handler
resources:
  - key: main
    path: static/main/build
  - key: details-modal
    path: static/details/build
  - key: macro-config
    path: static/config/build
remotes:
  - key: backend
    baseUrl: ${remoteBaseUrl}
permissions:
  scopes:
    - read:confluence-content.summary
    - read:confluence-user
  content:
    styles:
      - unsafe-inline
`;
}

interface ForeignRemote {
  baseUrl: string;
  /** What each verified call carried: the token's principal and module, or why it was refused. */
  calls: { principal?: unknown; module?: unknown; refused?: string }[];
  close(): Promise<void>;
}

/** The app's remote: trusts only invocation tokens that verify against the emulator's JWKS, for this app. */
async function startForeignRemote(jwksUrl: () => string): Promise<ForeignRemote> {
  const calls: ForeignRemote['calls'] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      let body = '';
      for await (const chunk of req) body += String(chunk);
      try {
        const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl())), {
          issuer: 'forge/invocation-token',
          audience: APP_ID,
        });
        const app = payload.app as { module?: unknown };
        calls.push({ principal: payload.principal, module: app.module });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ principal: payload.principal, echo: body ? JSON.parse(body) : null }));
      } catch (error) {
        calls.push({ refused: error instanceof Error ? error.message : String(error) });
        res.writeHead(401).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app folder an app team has after `npm run build` of its Custom UI: manifest.yml and the built resources. */
async function writeForgeApp(folder: string, remoteBaseUrl: string): Promise<string> {
  const mainBuild = path.join(folder, 'static', 'main', 'build');
  const detailsBuild = path.join(folder, 'static', 'details', 'build');
  await mkdir(mainBuild, { recursive: true });
  await mkdir(detailsBuild, { recursive: true });
  await build({
    stdin: { contents: CUSTOM_UI_SCRIPT, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    target: 'es2020',
    outfile: path.join(mainBuild, 'main.js'),
    logLevel: 'silent',
  });
  await writeFile(path.join(mainBuild, 'index.html'), INDEX_HTML);
  const configBuild = path.join(folder, 'static', 'config', 'build');
  await mkdir(configBuild, { recursive: true });
  await build({
    stdin: { contents: CONFIG_SCRIPT, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    target: 'es2020',
    outfile: path.join(configBuild, 'config.js'),
    logLevel: 'silent',
  });
  await writeFile(
    path.join(configBuild, 'index.html'),
    '<!doctype html><html><head></head><body><p id="config-context">pending</p>' +
      '<button id="save" type="button">Save</button><script src="./config.js"></script></body></html>',
  );
  await writeFile(
    path.join(detailsBuild, 'index.html'),
    '<!doctype html><html><head></head><body>details</body></html>',
  );
  const manifestFile = path.join(folder, 'manifest.yml');
  await writeFile(manifestFile, manifestYaml(remoteBaseUrl));
  return manifestFile;
}

describe('emulate --forge: the command line', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-cli-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const result = await runCli(args, { log: (line) => lines.push(line), error: (line) => errors.push(line) });
    await result.close?.();
    return { ...result, lines, errors };
  };

  it('documents --forge in --help', async () => {
    const { lines } = await run(['emulate', '--help']);
    expect(lines.join('\n')).toMatch(/--forge <file>/);
  });

  it('refuses a missing manifest, a file that is not YAML, and a manifest with nothing to host, in one line', async () => {
    const notYaml = path.join(folder, 'broken.yml');
    await writeFile(notYaml, 'modules:\n  macro: [\n    - key: x\n');
    const empty = path.join(folder, 'empty.yml');
    await writeFile(empty, 'modules:\n  function:\n    - key: f\n      handler: index.handler\n');
    const badRemote = path.join(folder, 'bad-remote.yml');
    await writeFile(badRemote, 'remotes:\n  - key: backend\n    baseUrl: ftp://files.example\n');
    const missing = path.join(folder, 'missing.yml');
    for (const [file, reason] of [
      [missing, `--forge: ${missing} cannot be read`],
      [notYaml, `--forge: ${notYaml} is not YAML`],
      [empty, `--forge: ${empty} has no Confluence module`],
      [badRemote, `--forge: ${badRemote} has a remote "backend" whose baseUrl is not an http(s) URL`],
    ] as const) {
      const { exitCode, errors } = await run(['emulate', '--forge', file, '--port', '0']);
      expect(exitCode, file).toBe(1);
      expect(errors, file).toHaveLength(1);
      expect(errors[0]).toContain(reason);
      expect(errors[0]).not.toMatch(/\n/);
    }
  });

  it('reads the modules, their resources, config and Modal resources, remotes and scopes from the manifest', async () => {
    const manifest = await readForgeManifest(await writeForgeApp(folder, 'http://127.0.0.1:9'));
    expect(manifest.modules.map((module) => [module.key, module.kind, module.url, module.forge?.type])).toEqual([
      ['hello-macro', 'macro', '/main/', 'macro'],
      ['hello-global', 'page', '/main/', 'confluence:globalPage'],
      ['details-modal', 'dialog', '/details-modal/', 'modal'],
    ]);
    expect(manifest.modules[0]?.editor).toMatchObject({ url: '/macro-config/', title: 'Configure hello' });
    expect(manifest.moduleRemotes.get('hello-macro')).toBe('backend');
    expect(manifest.scopes).toEqual(['READ']);
    expect(manifest.contentSecurityPolicy).toContain("style-src 'self' 'unsafe-inline'");
    expect(manifest.contentSecurityPolicy).toContain("script-src 'self'");
  });
});

describe('emulate --forge: a Custom UI app that is not ours', () => {
  let folder: string;
  let remote: ForeignRemote;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-app-'));
    remote = await startForeignRemote(() => emulator.forge!.jwksUrl);
    const forgeManifest = await readForgeManifest(await writeForgeApp(folder, remote.baseUrl));
    emulator = await startEmulator({ forgeManifest, port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
    await remote?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('serves each resource as Forge does: the built index.html with the bridge shim first, the CSP report-only', async () => {
    const customUi = emulator.forge!.customUiUrl;
    expect(new URL(customUi).origin).not.toBe(new URL(emulator.emulatorUrl).origin);
    const page = await fetch(`${customUi}/main/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy-report-only')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors ${new URL(emulator.emulatorUrl).origin}`);
    const html = await page.text();
    expect(html.indexOf('<script src="/forge-bridge-emulator.js"></script>')).toBeLessThan(html.indexOf('./main.js'));
    expect((await fetch(`${customUi}/main/main.js`)).status).toBe(200);
    expect((await fetch(`${customUi}/main/../../manifest.yml`)).status).toBe(404);
    expect((await fetch(`${customUi}/main/%2e%2e/%2e%2e/manifest.yml`)).status).toBe(404);
    expect((await fetch(`${customUi}/nope/`)).status).toBe(404);
  });

  it('lists the manifest modules in the config, as a Forge-only app', async () => {
    const config = (await (await pageRequest(emulator.emulatorUrl, 'config')).json()) as {
      modules: { key: string }[];
      forge: { customUiBaseUrl: string; only?: boolean };
      install: { ok: boolean };
    };
    expect(config.modules.map((module) => module.key)).toEqual(['hello-macro', 'hello-global', 'details-modal']);
    expect(config.forge).toMatchObject({ customUiBaseUrl: emulator.forge!.customUiUrl, only: true });
    expect(config.install.ok).toBe(true);
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows requestConfluence data as the acting user, invoke refused for a module without function, and reaches the remote with FITs', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${emulator.emulatorUrl}?user=editor`);
      const macro = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
      await expect.poll(() => macro.locator('#context').textContent()).toBe('macro hello-macro');
      await expect.poll(() => macro.locator('#user').textContent()).toBe(USERS.editor.displayName);
      await expect.poll(() => macro.locator('#page-title').textContent()).toBe('Getting started');
      // The macro's resolver is an endpoint (invokeRemote), not a function: invoke() says so, as Forge's rejection.
      await expect
        .poll(() => macro.locator('#invoke').textContent())
        .toMatch(/^error: There was an error invoking the function - module "hello-macro" has no resolver function/);
      await expect.poll(() => macro.locator('#invoke-remote').textContent()).toBe(`200 ${USERS.editor.accountId}`);
      await expect.poll(() => macro.locator('#request-remote').textContent()).toBe('200 remote');
      expect(remote.calls.filter((call) => call.refused)).toEqual([]);
      expect(remote.calls).toContainEqual({
        principal: USERS.editor.accountId,
        module: { key: 'hello-macro', type: 'confluence:macro' },
      });
      // Both remote calls are in the page's request log, marked as calls to the app's remote (not to Confluence).
      const remoteRows = page.locator('[data-testid=request-log] li[data-host=remote]');
      // A row is updated in place when its answer arrives; the time column is left out.
      const remoteRowTexts = async () =>
        (await remoteRows.allTextContents()).map((text) => text.replace(/\d+ ms$/, '')).sort();
      await expect.poll(remoteRowTexts).toEqual(['200GETremote /whoami', '200POSTremote backend /whoami']);
      await screenshot(page, 'emulate-forge-manifest-macro');

      // The macro's config resource opens from "Edit macro"; view.submit({ config }) stores the macro's parameters.
      await page.getByRole('button', { name: 'Edit macro' }).click();
      const configFrame = page.frameLocator('[data-testid=macro-editor-dialog] iframe[data-host=forge]');
      await expect.poll(() => configFrame.locator('#config-context').textContent()).toBe('config of hello-macro');
      await configFrame.locator('#save').click();
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              (window as unknown as { __confluenceEmulator: { macro: { parameters: Record<string, string> } } })
                .__confluenceEmulator.macro.parameters,
          ),
        )
        .toEqual({ greeting: 'hello' });
      await page.keyboard.press('Escape');

      // The global page: its own module type in getContext, no content; the user follows the acting-user switch.
      await page.getByLabel('Module', { exact: true }).selectOption('hello-global');
      await expect.poll(() => macro.locator('#context').textContent()).toBe('confluence:globalPage hello-global');
      await page.getByLabel('Acting user', { exact: true }).selectOption(USERS.viewer.accountId);
      await expect.poll(() => macro.locator('#user').textContent()).toBe(USERS.viewer.displayName);

      // A Modal resource from the module choice opens in the page's dialog, from the Custom UI origin.
      await page.getByLabel('Module', { exact: true }).selectOption('details-modal');
      const dialog = page.frameLocator('[data-testid=app-dialog] iframe[data-host=forge]');
      await expect.poll(() => dialog.locator('body').textContent()).toBe('details');
      await page.keyboard.press('Escape');
      // `Modal({ resource })` may open a resource a module shows too (here through the bridge's own openModal call).
      const globalFrame = await (
        await page.locator('[data-testid=macro-slot] iframe[data-host=forge]').elementHandle()
      )?.contentFrame();
      await globalFrame!.evaluate(() =>
        (
          window as unknown as { __bridge: { callBridge(op: string, payload: unknown): Promise<unknown> } }
        ).__bridge.callBridge('openModal', { resource: 'main', title: 'Main as a modal' }),
      );
      // Its getContext names the opener's module type (here the global page), as Forge's Modal does.
      await expect.poll(() => dialog.locator('#context').textContent()).toBe('confluence:globalPage main');
      expect(browser.external).toEqual([]);
      await page.close();
    });
  });
});

describe('emulate --app --forge: a Connect app adopted onto Forge', () => {
  let folder: string;
  let connectApp: Server;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-adopted-'));
    // The Connect side: a descriptor with one general page, and an install route that takes the install.
    connectApp = createServer((req, res) => {
      const route = (req.url ?? '/').split('?')[0];
      const baseUrl = `http://127.0.0.1:${(connectApp.address() as AddressInfo).port}`;
      if (route === '/atlassian-connect.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            key: 'com.example.adopted',
            baseUrl,
            lifecycle: { installed: '/installed' },
            scopes: ['READ'],
            modules: { generalPages: [{ key: 'legacy-page', name: { value: 'Legacy page' }, url: '/legacy' }] },
          }),
        );
      } else if (route === '/installed') res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p id="legacy">Connect</p>');
    });
    await new Promise<void>((resolve) => connectApp.listen(0, '127.0.0.1', resolve));
    const forgeManifest = await readForgeManifest(await writeForgeApp(folder, 'http://127.0.0.1:9'));
    emulator = await startEmulator({
      descriptorUrl: `http://127.0.0.1:${(connectApp.address() as AddressInfo).port}/atlassian-connect.json`,
      forgeManifest,
      port: 0,
    });
  });
  afterAll(async () => {
    await emulator?.close();
    connectApp?.closeAllConnections();
    await new Promise<void>((resolve) => connectApp?.close(() => resolve()));
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("lists the descriptor's Connect modules, then the manifest's Forge modules", async () => {
    const config = (await (await pageRequest(emulator.emulatorUrl, 'config')).json()) as {
      modules: { key: string; forge?: { type: string } }[];
      forge: { manifest?: boolean; only?: boolean };
      install: { ok: boolean };
    };
    expect(config.install.ok).toBe(true);
    expect(config.modules.map((module) => [module.key, module.forge?.type ?? 'connect'])).toEqual([
      ['legacy-page', 'connect'],
      ['hello-macro', 'macro'],
      ['hello-global', 'confluence:globalPage'],
      ['details-modal', 'modal'],
    ]);
    expect(config.forge).toEqual({
      customUiBaseUrl: emulator.forge!.customUiUrl,
      manifest: true,
      resources: ['main', 'details-modal', 'macro-config'],
    });
  });

  it.skipIf(!hasChromium)(
    'hosts each module by its own kind: Connect through connect-host, Forge through the bridge',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        await page.goto(`${emulator.emulatorUrl}?module=legacy-page&user=editor`);
        const slot = page.locator('[data-testid=macro-slot]');
        await expect.poll(() => slot.locator('iframe.ap-iframe').getAttribute('src')).toMatch(/\/legacy\?/);
        await page.getByLabel('Module', { exact: true }).selectOption('hello-macro');
        const forgeFrame = page.frameLocator('[data-testid=macro-slot] iframe[data-host=forge]');
        await expect.poll(() => forgeFrame.locator('#user').textContent()).toBe(USERS.editor.displayName);
        expect(await slot.locator('iframe.ap-iframe').count()).toBe(0);
        expect(await page.getByTestId('host-kind').inputValue()).toBe('forge');
        await page.getByLabel('Module', { exact: true }).selectOption('legacy-page');
        await expect.poll(() => slot.locator('iframe.ap-iframe').count()).toBe(1);
        expect(await page.getByTestId('host-kind').inputValue()).toBe('connect');
      } finally {
        await browser.close();
      }
    },
  );
});

describe("emulate --app --forge with the kit's server: one backend for the Connect and the Forge modules", () => {
  const APP_KEY = 'com.example.one-backend';
  let folder: string;
  let backend: Server;
  let emulator: RunningEmulator;
  let tenants: TenantStore;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-forge-one-backend-'));
    let handle: NodeHandler = (_req, res) => void res.writeHead(503).end();
    backend = createServer((req, res) => {
      const route = (req.url ?? '/').split('?')[0];
      const baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
      if (route !== '/atlassian-connect.json') return void handle(req, res);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          key: APP_KEY,
          baseUrl,
          lifecycle: { installed: '/installed' },
          scopes: ['READ'],
          modules: { generalPages: [{ key: 'legacy-page', name: { value: 'Legacy page' }, url: '/legacy' }] },
        }),
      );
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    // The manifest's remote is the same backend: the Forge modules' invokeRemote calls reach it with FITs.
    const forgeManifest = await readForgeManifest(await writeForgeApp(folder, baseUrl));
    const prepared = await prepareEmulator({
      descriptorUrl: `${baseUrl}/atlassian-connect.json`,
      forgeManifest,
      port: 0,
    });
    tenants = await openTenantStore('sqlite::memory:', createSecretBox(randomBytes(32)));
    const whoCalled = ({ caller }: { caller: RouteCaller | undefined }) =>
      jsonResponse(200, { via: caller?.via, clientKey: caller?.clientKey, cloudId: caller?.cloudId });
    handle = createNodeHandler(
      createConnectApp({
        appKey: APP_KEY,
        baseUrl,
        tenants,
        development: true,
        installKeysUrl: prepared.installKeysUrl,
        forge: { appId: prepared.forge!.appId, jwksUrl: prepared.forge!.jwksUrl },
        routes: [{ method: 'GET', path: '/api/me', auth: ['context', 'forge'], handle: whoCalled }],
      }),
    );
    emulator = await prepared.listen();
  });
  afterAll(async () => {
    await emulator?.close();
    backend?.closeAllConnections();
    await new Promise<void>((resolve) => backend?.close(() => resolve()));
    await tenants?.close?.();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("answers the same tenant for a Connect context token and for the emulator's Forge Invocation Token", async () => {
    expect(emulator.install.ok).toBe(true);
    const user = USERS.editor.accountId;
    const { token } = (await (
      await pageRequest(emulator.emulatorUrl, 'context-token', { user, pageId: '1001' })
    ).json()) as { token: string };
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const connectAnswer = await fetch(`${backendUrl}/api/me`, { headers: { authorization: `JWT ${token}` } });
    expect(connectAnswer.status).toBe(200);
    const connectCaller = (await connectAnswer.json()) as { via: string; clientKey: string; cloudId?: string };
    expect(connectCaller.via).toBe('context');

    const forgeAnswer = await pageRequest(emulator.emulatorUrl, 'forge/invoke-remote', {
      user,
      moduleKey: 'hello-macro',
      path: '/api/me',
      method: 'GET',
      headers: {},
      context: {},
    });
    const invocation = (await forgeAnswer.json()) as { status: number; body: Record<string, unknown> };
    expect(invocation.status).toBe(200);
    expect(invocation.body).toEqual({ via: 'forge', clientKey: connectCaller.clientKey, cloudId: EMULATED_CLOUD_ID });
    expect(connectCaller.cloudId).toBe(EMULATED_CLOUD_ID);
  });
});
