import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as atlassianJwt from 'atlassian-jwt';
import { startAppOrigin, type AppOrigin } from '../../emulator/node/app-origin';
import { REPO_ROOT } from '../../emulator/node/emulator-server';
import { readForgeManifest } from '../../emulator/node/forge-manifest';
import { freePort } from '../../emulator/node/ports';
import { startEmulator, type RunningEmulator } from '../../emulator/node/start-emulator';
import { USERS } from '../../src/testing/core';
import { FAKE_APP_KEY, startFakeConnectApp, type FakeConnectApp } from './support/fake-connect-app';
import { pageRequest } from './support/page-request';
import { rawRequest, type RawAnswer } from './support/raw-request';

/**
 * The emulator on a developer's laptop, against other web pages (issue 19, item 7): every server it starts answers
 * only the names it is reached by on purpose (a page that rebinds its own name to 127.0.0.1 is refused), and what
 * only the emulator page may see (module URLs, context tokens, the site seed, the request log) goes only to the
 * emulator page itself. The app's backend still reaches the site's REST API and the key servers from Node.
 */

const MANIFEST = `app:
  id: ari:cloud:ecosystem::app/4c0b2a52-6f43-4d7e-9b0a-3e1f2d5c7a99
modules:
  macro:
    - key: probe-forge-macro
      resource: main
      title: Probe
resources:
  - key: main
    path: static/main
permissions:
  scopes:
    - read:confluence-content.summary
`;

/** The Host headers a rebinding page (or a LAN peer) sends: another name, an address not loopback, another port. */
const foreignHosts = (port: number) => [`evil.example:${port}`, `192.168.1.20:${port}`, 'localhost:1', `[::2]:${port}`];

/** Everything an answer that leaked something would carry: a JWT, the tenant's secret, the site seed, the log. */
function expectNothingLeaked(answer: RawAnswer | string, label: string) {
  const body = typeof answer === 'string' ? answer : answer.body;
  expect(body, label).not.toMatch(/eyJ|sharedSecret|"modules"|event-stream|backend-request/);
}

const MINTING_ROUTES = ['config', 'iframe-url', 'context-token'] as const;
const pageContext = { module: 'probe-macro', user: USERS.editor.accountId, pageId: '65601', spaceKey: 'ENG' };

describe.each([
  ['prebuilt (the installed command)', true],
  ['vite (npm run dev)', false],
] as const)('the %s emulator server', (_name, prebuilt) => {
  let app: FakeConnectApp;
  let emulator: RunningEmulator;
  let folder: string;
  let origin: string;
  let port: number;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'cik-request-guard-'));
    app = await startFakeConnectApp();
    let forgeManifest;
    let pageDir: string | undefined;
    if (prebuilt) {
      pageDir = path.join(folder, 'page');
      await mkdir(pageDir);
      await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>emulator</title>');
      await mkdir(path.join(folder, 'static', 'main'), { recursive: true });
      await writeFile(
        path.join(folder, 'static', 'main', 'index.html'),
        '<!doctype html><html><head><title>custom ui</title></head><body></body></html>',
      );
      await writeFile(path.join(folder, 'manifest.yml'), MANIFEST);
      forgeManifest = await readForgeManifest(path.join(folder, 'manifest.yml'));
    }
    emulator = await startEmulator({
      descriptorUrl: app.descriptorUrl,
      host: 'localhost',
      port: 0,
      ...(pageDir ? { pageDir } : {}),
      ...(forgeManifest ? { forgeManifest } : {}),
    });
    expect(emulator.install.ok).toBe(true);
    origin = new URL(emulator.emulatorUrl).origin;
    port = Number(new URL(origin).port);
  });
  afterAll(async () => {
    await emulator?.close();
    await app?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('refuses a request addressed to any other host, on every route, with the reason in plain text', async () => {
    const routes: [string, string][] = [
      ['GET', '/'],
      ['GET', '/__emulator/events'],
      ['GET', '/__emulator/config'],
      ['POST', '/__emulator/config'],
      ['POST', '/__emulator/context-token'],
      ['GET', '/__emulator/context-token?user=x'],
      ['GET', '/wiki/rest/api/space'],
      ['GET', '/atlassian-connect/all.js'],
    ];
    for (const host of foreignHosts(port)) {
      for (const [method, route] of routes) {
        const label = `${method} ${route} Host: ${host}`;
        const answer = await rawRequest(`${origin}${route}`, {
          method,
          headers: {
            host,
            origin: `http://${host}`,
            'content-type': 'application/json',
            'sec-fetch-site': 'same-origin',
          },
          ...(method === 'POST' ? { body: JSON.stringify(pageContext) } : {}),
        });
        // vite (npm run dev) refuses a foreign name itself (403) before the emulator's own check (421).
        expect([421, 403], label).toContain(answer.status);
        expect(answer.headers['content-type'], label).toMatch(/^text\/plain/);
        expectNothingLeaked(answer, label);
        if (answer.status === 421) expect(answer.body, label).toMatch(/DNS rebinding/);
      }
    }
  });

  it('answers at localhost, 127.0.0.1 and [::1] with its port', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const answer = await rawRequest(`${origin}/__emulator/install-keys/6f1d8c1e-0000-4000-8000-000000000000`, {
        headers: { host },
      });
      expect(answer.status, host).toBe(404);
    }
  });

  it.each(MINTING_ROUTES)('refuses a GET to /__emulator/%s (405): it is a POST now', async (route) => {
    const answer = await rawRequest(`${origin}/__emulator/${route}?${new URLSearchParams(pageContext)}`, {
      headers: { host: `localhost:${port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
    expectNothingLeaked(answer, route);
  });

  it.each(MINTING_ROUTES)('refuses a cross-site POST to /__emulator/%s (403), whatever it claims', async (route) => {
    const otherLocalhost = `http://localhost:${port === 9 ? 10 : 9}`;
    const crossSite: [string, Record<string, string>][] = [
      ['another site', { origin: 'http://evil.example' }],
      ['another localhost dev server', { origin: otherLocalhost, 'sec-fetch-site': 'same-site' }],
      ['an opaque origin', { origin: 'null' }],
      ['a cross-site fetch naming our origin', { origin, 'sec-fetch-site': 'cross-site' }],
      ['a same-site fetch naming our origin', { origin, 'sec-fetch-site': 'same-site' }],
      ['no proof of origin at all', { origin: '', 'sec-fetch-site': '' }],
    ];
    for (const [label, headers] of crossSite) {
      const sent = Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== ''));
      const answer = await rawRequest(`${origin}/__emulator/${route}`, {
        method: 'POST',
        headers: { host: `localhost:${port}`, 'content-type': 'application/json', ...sent },
        body: JSON.stringify(pageContext),
      });
      expect([label, answer.status]).toEqual([label, 403]);
      expect(answer.body, label).toMatch(/^Refused: /);
      expect(answer.headers['access-control-allow-origin'], label).toBeUndefined();
      expectNothingLeaked(answer, label);
    }
  });

  it('answers the emulator page itself (a same-origin POST): the site, a module URL, a context token', async () => {
    const config = (await (await pageRequest(origin, 'config')).json()) as { addonKey: string; modules: unknown[] };
    expect(config.addonKey).toBe(FAKE_APP_KEY);
    const { url } = (await (await pageRequest(origin, 'iframe-url', pageContext)).json()) as { url: string };
    expect(new URL(url).searchParams.get('jwt')).toMatch(/^eyJ/);
    const { token } = (await (await pageRequest(origin, 'context-token', pageContext)).json()) as { token: string };
    expect(token).toMatch(/^eyJ/);
    // Browsers send Origin on every POST; Sec-Fetch-Site alone (no Origin) is proof enough too.
    const fetchSiteOnly = await rawRequest(`${origin}/__emulator/context-token`, {
      method: 'POST',
      headers: { host: `localhost:${port}`, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify(pageContext),
    });
    expect(fetchSiteOnly.status).toBe(200);
    // The page opened at 127.0.0.1 is its own origin there.
    const loopback = `http://127.0.0.1:${port}`;
    const atLoopback = await rawRequest(`${origin}/__emulator/context-token`, {
      method: 'POST',
      headers: { host: `127.0.0.1:${port}`, origin: loopback, 'content-type': 'application/json' },
      body: JSON.stringify(pageContext),
    });
    expect(atLoopback.status).toBe(200);
  });

  it('refuses the request log (the event stream) to any other origin, and streams it to the page', async () => {
    const crossSite: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: `http://localhost:${port + 1}`, 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const answer = await rawRequest(`${origin}/__emulator/events`, {
        headers: { host: `localhost:${port}`, ...headers },
      });
      expect([JSON.stringify(headers), answer.status]).toEqual([JSON.stringify(headers), 403]);
      expectNothingLeaked(answer, JSON.stringify(headers));
    }
    // What an EventSource of the page sends: no Origin on a same-origin GET, Sec-Fetch-Site: same-origin.
    const stream = await rawRequest(`${origin}/__emulator/events`, {
      headers: { host: `localhost:${port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('refuses a cross-site POST to the page-only POST routes (backend answers, Forge invocations)', async () => {
    for (const route of ['backend-answer', 'forge/invoke-remote']) {
      const answer = await pageRequest(origin, route, {}, { origin: 'http://evil.example' });
      expect([route, answer.status]).toEqual([route, 403]);
    }
  });

  it('lets no other localhost origin read its answers (no CORS grant, not even to a preflight)', async () => {
    const otherLocalhost = `http://localhost:${port + 1}`;
    const preflight = await rawRequest(`${origin}/__emulator/context-token`, {
      method: 'OPTIONS',
      headers: {
        host: `localhost:${port}`,
        origin: otherLocalhost,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const page = await rawRequest(`${origin}/`, { headers: { host: `localhost:${port}`, origin: otherLocalhost } });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("still answers the app's backend from Node (no Origin): the site's REST API with a signed JWT", async () => {
    const tenant = app.tenant()!;
    const now = Math.floor(Date.now() / 1000);
    const restPath = '/rest/api/user/current';
    const qsh = atlassianJwt.createQueryStringHash(
      atlassianJwt.fromMethodAndUrl('GET', restPath),
      false,
      tenant.baseUrl,
    );
    const jwt = atlassianJwt.encodeSymmetric({ iss: FAKE_APP_KEY, iat: now, exp: now + 60, qsh }, tenant.sharedSecret);
    const answer = await fetch(tenant.baseUrl + restPath, { headers: { authorization: `JWT ${jwt}` } });
    expect(answer.status).toBe(200);
  });

  if (prebuilt) {
    it('refuses any other host on the Custom UI origin too, and serves the resources at its own names', async () => {
      const customUi = emulator.forge!.customUiUrl;
      const customUiPort = Number(new URL(customUi).port);
      for (const host of foreignHosts(customUiPort)) {
        const answer = await rawRequest(`${customUi}/main/`, { headers: { host } });
        expect([host, answer.status]).toEqual([host, 421]);
        expect(answer.body).toMatch(/DNS rebinding/);
        expect(answer.body).not.toContain('custom ui');
      }
      const own = await rawRequest(`${customUi}/main/`, { headers: { host: `localhost:${customUiPort}` } });
      expect(own.status).toBe(200);
      expect(own.body).toContain('custom ui');
    });
  }
});

describe('the app origin of npm run dev', () => {
  let appOrigin: AppOrigin;
  let port: number;

  beforeAll(async () => {
    port = await freePort('localhost');
    appOrigin = await startAppOrigin({
      root: REPO_ROOT,
      pages: { connectHtml: 'index.html' },
      host: 'localhost',
      port,
      emulatorOrigin: 'http://localhost:5173',
      watch: false,
      createAppHandler: async ({ viteMiddleware }) => ({
        handler: (req, res) => {
          if (req.url === '/app') return void res.end('the app');
          viteMiddleware(req, res, () => res.writeHead(404).end());
        },
        close: async () => {},
      }),
    });
  });
  afterAll(async () => {
    await appOrigin?.close();
  });

  it('refuses any other host, and answers at its own names', async () => {
    for (const host of foreignHosts(port)) {
      const answer = await rawRequest(`${appOrigin.url}/app`, { headers: { host } });
      expect([host, answer.status]).toEqual([host, 421]);
      expect(answer.body).not.toContain('the app');
    }
    const own = await rawRequest(`${appOrigin.url}/app`, { headers: { host: `localhost:${port}` } });
    expect(own.body).toBe('the app');
  });

  it('grants no other localhost origin a CORS read of what vite serves', async () => {
    const answer = await rawRequest(`${appOrigin.url}/package.json`, {
      headers: { host: `localhost:${port}`, origin: 'http://localhost:4000' },
    });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});
