import express from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceHandler, createReferenceServer, type ReferenceServer } from './index.js';
import {
  TenantDirectory,
  createConnectApp,
  createInstallKeyFetcher,
  expressMiddleware,
  requireConnectJwt,
} from 'confluence-iframe-kit/server';
import {
  createInstallKeyPair,
  startKeyServer,
  type InstallKeyPair,
  type KeyServer,
} from '../../../test/server/helpers/key-server.js';
import { resolvePostgresUrl } from '../../../test/server/helpers/postgres.js';
import { memoryStore, seedTenant } from '../../../test/server/helpers/tenant-fixture.js';
import { mintInstall, mintSymmetric } from '../../../test/server/helpers/tokens.js';
import { SignJWT, decodeJwt } from 'jose';
import {
  createForgeJwksServer,
  createForgeKeyPair,
  mintForgeInvocationToken,
  type ForgeJwksServer,
  type ForgeKeyPair,
} from 'confluence-iframe-kit/testing/core';

let keyServer: KeyServer;
let keys: InstallKeyPair;
const tempDirs: string[] = [];
const pgUrl = await resolvePostgresUrl();

beforeAll(async () => {
  keyServer = await startKeyServer();
  keys = await createInstallKeyPair('flow/key-1');
  keyServer.addKey(keys.kid, keys.publicPem);
});
afterAll(async () => {
  await keyServer.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'cik-flow-'));
  tempDirs.push(dir);
  return dir;
}

const SECRET_KEY = randomBytes(32).toString('hex');

function start(
  databaseUrl: string,
  extra: Partial<Parameters<typeof createReferenceServer>[0]> = {},
): Promise<ReferenceServer> {
  return createReferenceServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    installKeysUrl: keyServer.url,
    secretKey: SECRET_KEY,
    devFrameAncestors: ['http://localhost:5173'],
    appHtml: ({ module, verified }) =>
      `<!doctype html><title>${module}</title><p data-tenant="${verified.clientKey}">app</p>`,
    log: () => {},
    // The tests run the development configuration unless they say otherwise: the handler itself fails closed.
    production: false,
    ...extra,
  });
}

async function install(
  server: ReferenceServer,
  tenant: { clientKey: string; sharedSecret: string; baseUrl: string; cloudId?: string },
  event = 'installed',
) {
  const token = await mintInstall({
    keys,
    clientKey: tenant.clientKey,
    aud: server.url,
    url: `/${event}`,
    appBase: server.url,
  });
  return fetch(`${server.url}/${event}`, {
    method: 'POST',
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key: server.descriptor.key, ...tenant, productType: 'confluence', eventType: event }),
  });
}

/** install → iframe (macro + page) → /api/verify, over real HTTP. */
async function runFlow(server: ReferenceServer, tenant: { clientKey: string; sharedSecret: string; baseUrl: string }) {
  expect((await install(server, tenant)).status).toBe(204);

  const macroPath =
    '/macro?pageId=98305&pageVersion=3&spaceKey=DEV&macroId=m-1&outputType=display&title=Hello%20world&limit=10';
  const macroToken = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: macroPath }, sub: 'account-42' });
  const macro = await fetch(`${server.url}${macroPath}&jwt=${macroToken}`);
  expect(macro.status).toBe(200);
  expect(await macro.text()).toContain(`data-tenant="${tenant.clientKey}"`);
  const csp = macro.headers.get('content-security-policy')!;
  expect(csp).toMatch(/^frame-ancestors /);
  expect(csp).toContain(new URL(tenant.baseUrl).origin);
  expect(csp).toContain('https://*.atlassian.net');
  expect(csp).toContain('http://localhost:5173');
  expect(macro.headers.get('referrer-policy')).toBe('no-referrer');
  expect(macro.headers.get('cache-control')).toBe('no-store');
  expect(macro.headers.get('set-cookie')).toBeNull();

  const pagePath = '/page?spaceKey=DEV&pageId=98305';
  const pageToken = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: pagePath } });
  expect((await fetch(`${server.url}${pagePath}&jwt=${pageToken}`)).status).toBe(200);
  // the macro token does not open the page route
  expect((await fetch(`${server.url}${pagePath}&jwt=${macroToken}`)).status).toBe(401);

  const contextToken = await mintSymmetric({
    ...tenant,
    qsh: 'context',
    sub: 'account-42',
    context: { confluence: { content: { id: '98305' } } },
  });
  const verify = await fetch(`${server.url}/api/verify`, { headers: { authorization: `JWT ${contextToken}` } });
  expect(verify.status).toBe(200);
  expect(await verify.json()).toEqual({
    clientKey: tenant.clientKey,
    baseUrl: tenant.baseUrl,
    accountId: 'account-42',
    context: { confluence: { content: { id: '98305' } } },
  });
  return contextToken;
}

const newTenant = () => ({
  clientKey: `flow-${randomBytes(4).toString('hex')}`,
  sharedSecret: randomBytes(32).toString('base64url'),
  baseUrl: 'https://flow.atlassian.net/wiki',
});

describe('full flow over real HTTP', () => {
  it('SQLite file: install → iframe → /api/verify, survives a restart, secret encrypted on disk, uninstall → 403', async () => {
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, 'tenants.db')}`;
    const tenant = newTenant();
    let server = await start(databaseUrl);
    let contextToken: string;
    try {
      contextToken = await runFlow(server, tenant);
    } finally {
      await server.close();
    }
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(tenant.sharedSecret)), file).toBe(false);
    }
    server = await start(databaseUrl);
    try {
      expect(
        (await fetch(`${server.url}/api/verify`, { headers: { authorization: `JWT ${contextToken}` } })).status,
      ).toBe(200);
      expect((await install(server, tenant, 'uninstalled')).status).toBe(204);
      const after = await fetch(`${server.url}/api/verify`, { headers: { authorization: `JWT ${contextToken}` } });
      expect(after.status).toBe(403);
      expect(((await after.json()) as { error: { code: string } }).error.code).toBe('TENANT_INACTIVE');
    } finally {
      await server.close();
    }
  });

  it.skipIf(!pgUrl)(
    'PostgreSQL: install → iframe → /api/verify; a second instance on the same database verifies too',
    async () => {
      const tenant = newTenant();
      const first = await start(pgUrl!);
      const second = await start(pgUrl!);
      try {
        const contextToken = await runFlow(first, tenant);
        expect(
          (await fetch(`${second.url}/api/verify`, { headers: { authorization: `JWT ${contextToken}` } })).status,
        ).toBe(200);
        const client = new pg.Client({ connectionString: pgUrl! });
        await client.connect();
        const { rows } = await client.query('SELECT shared_secret FROM cik_tenants WHERE client_key = $1', [
          tenant.clientKey,
        ]);
        expect(rows[0].shared_secret).not.toContain(tenant.sharedSecret);
        await client.query('DELETE FROM cik_tenants WHERE client_key = $1', [tenant.clientKey]);
        await client.end();
      } finally {
        await first.close();
        await second.close();
      }
    },
  );
});

describe('reference server contract', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await start(`sqlite:${join(tempDir(), 'contract.db')}`);
  });
  afterAll(() => server.close());

  it('serves the descriptor generated from config', async () => {
    const response = await fetch(`${server.url}/atlassian-connect.json`);
    expect(response.status).toBe(200);
    const descriptor = (await response.json()) as Record<string, any>;
    expect(descriptor).toMatchObject({
      key: 'com.example.confluence-iframe-kit-demo',
      baseUrl: server.url,
      authentication: { type: 'jwt' },
      lifecycle: { installed: '/installed', uninstalled: '/uninstalled' },
      apiMigrations: { 'signed-install': true, 'context-qsh': true },
    });
    expect(descriptor.scopes).toEqual(['READ', 'WRITE']);
    const macro = descriptor.modules.dynamicContentMacros[0];
    expect(macro.url).toMatch(/^\/macro\?/);
    for (const param of ['pageId={page.id}', 'spaceKey={space.key}', 'outputType={output.type}', 'title={title}'])
      expect(macro.url).toContain(param);
    expect(descriptor.modules.generalPages[0].url).toMatch(/^\/page\?spaceKey=\{space.key\}/);
  });

  it('GET /healthz answers 200', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refusals are 401 JSON with WWW-Authenticate and never echo the token', async () => {
    const token = await mintSymmetric({ clientKey: 'nobody', sharedSecret: 'x'.repeat(32), qsh: 'context' });
    const response = await fetch(`${server.url}/api/verify`, { headers: { authorization: `JWT ${token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('JWT realm="com.example.confluence-iframe-kit-demo"');
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe('SIGNATURE_INVALID');
    expect(text).not.toContain(token.split('.')[1]);
  });

  it('garbage never gives a 5xx and never hangs (fetch)', async () => {
    const requests: Array<[string, RequestInit?]> = [
      ['/api/verify?%%%'],
      ['/macro?jwt=%FF'],
      ['/macro?pageId=%ED%A0%80&jwt=a.b.c'],
      ['/api/verify', { headers: { authorization: 'JWT ' + 'A'.repeat(10_000) } }],
      ['/api/verify', { headers: { authorization: 'JWT ....' } }],
      ['/installed', { method: 'POST' }],
      ['/installed', { method: 'POST', body: 'x'.repeat(200_000) }],
      ['/uninstalled', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '\u0000\u0001' }],
      ['/macro/../api/verify'],
      ['/%2e%2e/%2e%2e/etc/passwd'],
      ['/assets/..%2f..%2fpackage.json'],
      ['/api/verify', { method: 'DELETE' }],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
  });

  it('garbage never gives a 5xx (raw sockets: non-UTF-8 bytes in the target, odd headers)', async () => {
    const { port } = new URL(server.url);
    const raw = [
      Buffer.concat([
        Buffer.from('GET /macro?pageId='),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('&jwt=a.b.c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ]),
      Buffer.from('GET /api/verify HTTP/1.1\r\nHost: x\r\nAuthorization: JWT\r\nConnection: close\r\n\r\n'),
      Buffer.from('POST /installed HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
      Buffer.from('GET /api/verify?jwt=a.b.c&jwt=d.e.f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ];
    for (const request of raw) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1');
        let data = '';
        socket.setTimeout(5000, () => reject(new Error('hung')));
        socket.on('data', (chunk) => (data += chunk.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
        socket.write(request);
      });
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      expect(status, answer.slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(status, answer.slice(0, 80)).toBeLessThan(500);
    }
  });

  it('serves the built app assets but never raw HTML without a verified token', async () => {
    expect((await fetch(`${server.url}/index.html`)).status).toBe(404);
    expect((await fetch(`${server.url}/examples/page-list-macro/web/index.html`)).status).toBe(404);
  });
});

describe('app HTML and assets from the build (dist/example/app)', () => {
  async function macroHtml(server: ReferenceServer, tenant: ReturnType<typeof newTenant>) {
    expect((await install(server, tenant)).status).toBe(204);
    const path = '/macro?pageId=1';
    const token = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: path } });
    const response = await fetch(`${server.url}${path}&jwt=${token}`);
    expect(response.status).toBe(200);
    return response.text();
  }

  it('without a build, the module routes serve a minimal placeholder page', async () => {
    const server = await start(`sqlite:${join(tempDir(), 'ph.db')}`, { appHtml: undefined, staticDir: tempDir() });
    try {
      const html = await macroHtml(server, newTenant());
      expect(html).toContain('npm run build:example');
      expect(html).toContain('https://connect-cdn.atl-paas.net/all.js');
    } finally {
      await server.close();
    }
  });

  it('serves the demo build as-is (all.js pointed at Atlassian’s CDN) and its hashed assets, nothing outside the build', async () => {
    const dist = tempDir();
    mkdirSync(join(dist, 'examples', 'page-list-macro', 'web'), { recursive: true });
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(
      join(dist, 'examples', 'page-list-macro', 'web', 'index.html'),
      '<!doctype html><script src="/atlassian-connect/all.js" data-options="margin:false"></script><div id="root"></div><script type="module" src="/assets/app-abc123.js"></script>',
    );
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log("app")');
    const server = await start(`sqlite:${join(tempDir(), 'built.db')}`, { appHtml: undefined, staticDir: dist });
    try {
      const html = await macroHtml(server, newTenant());
      expect(html).toContain('<script src="https://connect-cdn.atl-paas.net/all.js" data-options="margin:false">');
      expect(html).toContain('/assets/app-abc123.js');
      const asset = await fetch(`${server.url}/assets/app-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('text/javascript');
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(await asset.text()).toBe('console.log("app")');
      for (const escape of [
        '/assets/..%2f..%2fpackage.json',
        '/assets/%2e%2e/%2e%2e/package.json',
        '/..%5cpackage.json',
      ]) {
        expect((await fetch(`${server.url}${escape}`)).status, escape).toBe(404);
      }
      expect((await fetch(`${server.url}/examples/page-list-macro/web/index.html`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('production configuration', () => {
  it('fails closed: without `production: false` the handler is production (no generated key, strict installs)', async () => {
    await expect(
      createReferenceHandler({
        baseUrl: 'https://app.example.com',
        databaseUrl: `sqlite:${join(tempDir(), 'closed.db')}`,
        log: () => {},
      }),
    ).rejects.toThrow(/TENANT_SECRET_KEY is required/);
    const server = await createReferenceServer({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `sqlite:${join(tempDir(), 'closed-server.db')}`,
      installKeysUrl: keyServer.url,
      secretKey: SECRET_KEY,
      devFrameAncestors: ['http://localhost:5173'],
      log: () => {},
    });
    try {
      const tenant = newTenant();
      expect((await install(server, { ...tenant, baseUrl: 'http://localhost:5173/wiki' })).status).toBe(403);
      expect((await install(server, tenant)).status).toBe(204);
      const path = '/page?spaceKey=DEV&pageId=1';
      const token = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: path } });
      const csp = (await fetch(`${server.url}${path}&jwt=${token}`)).headers.get('content-security-policy');
      expect(csp).not.toContain('localhost');
    } finally {
      await server.close();
    }
  });

  it('listens on 127.0.0.1 unless told otherwise (HOST)', async () => {
    const server = await createReferenceServer({
      port: 0,
      production: false,
      databaseUrl: `sqlite:${join(tempDir(), 'loopback.db')}`,
      secretKey: SECRET_KEY,
      log: () => {},
    });
    try {
      expect((server.server.address() as { address: string }).address).toBe('127.0.0.1');
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses to start without TENANT_SECRET_KEY', async () => {
    await expect(
      createReferenceServer({
        port: 0,
        host: '127.0.0.1',
        production: true,
        databaseUrl: `sqlite:${join(tempDir(), 'p.db')}`,
        log: () => {},
      }),
    ).rejects.toThrow(/TENANT_SECRET_KEY is required/);
  });

  it('development without a key generates one into the data folder', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const server = await createReferenceServer({
      port: 0,
      host: '127.0.0.1',
      production: false,
      databaseUrl: `sqlite:${join(dir, 'd.db')}`,
      log: (m) => warnings.push(m),
    });
    await server.close();
    expect(existsSync(join(dir, 'tenant-secret.key'))).toBe(true);
    expect(warnings.join('\n')).toContain('TENANT_SECRET_KEY is not set');
  });

  it('frame-ancestors: no dev origins and no http tenant origin in production; *.atlassian.net product hosts only', async () => {
    const server = await start(`sqlite:${join(tempDir(), 'prod.db')}`, { production: true });
    try {
      const tenant = { ...newTenant(), baseUrl: 'https://prod-site.atlassian.net/wiki' };
      expect((await install(server, tenant)).status).toBe(204);
      const evil = { ...newTenant(), baseUrl: 'http://localhost:5173/wiki' };
      expect((await install(server, evil)).status).toBe(403);
      const path = '/page?spaceKey=DEV&pageId=1';
      const token = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: path } });
      const response = await fetch(`${server.url}${path}&jwt=${token}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain('https://prod-site.atlassian.net');
      expect(csp).not.toContain('localhost');
    } finally {
      await server.close();
    }
  });

  it('never serves the Custom UI pages in production, even when forgeCustomUiHtml is passed (Atlassian hosts Custom UI)', async () => {
    const rendered: string[] = [];
    const customUi = async (url: string) => {
      rendered.push(url);
      return '<!doctype html><title>custom ui</title>';
    };
    const dev = await start(`sqlite:${join(tempDir(), 'forge-dev.db')}`, { forgeCustomUiHtml: customUi });
    try {
      // The same option in development does serve it: the production refusal below is not a missing route.
      expect((await fetch(`${dev.url}/forge/macro`)).status).toBe(200);
    } finally {
      await dev.close();
    }
    rendered.length = 0;
    const server = await start(`sqlite:${join(tempDir(), 'forge-prod.db')}`, {
      production: true,
      forgeCustomUiHtml: customUi,
    });
    try {
      for (const screen of ['macro', 'macro-editor', 'page', 'dialog']) {
        const response = await fetch(`${server.url}/forge/${screen}`);
        expect([screen, response.status]).toEqual([screen, 404]);
        expect(await response.text()).not.toContain('custom ui');
      }
      expect(rendered).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('adapters', () => {
  let http: Server;
  let url: string;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    const store = await memoryStore();
    const tenants = new TenantDirectory(store);
    tenant = await seedTenant(tenants);
    const connectApp = createConnectApp({
      appKey: 'express-app',
      baseUrl: 'http://127.0.0.1',
      tenants,
      installKeys: createInstallKeyFetcher({ url: keyServer.url }),
    });
    // No body parser on purpose: ACE hangs on GET ?jwt= without one.
    const app = express();
    app.use(expressMiddleware(connectApp));
    app.get('/custom', requireConnectJwt(connectApp, 'iframe'), (_req, res) =>
      res.json({ ok: true, clientKey: res.locals.connect.clientKey }),
    );
    const router = express.Router();
    router.get('/x', requireConnectJwt(connectApp, 'context'), (_req, res) => res.json(res.locals.connect.context));
    app.use('/mounted', router);
    const mountedIframe = express.Router();
    mountedIframe.get('/y', requireConnectJwt(connectApp, 'iframe'), (_req, res) => res.json({ ok: true }));
    app.use('/sub', mountedIframe);
    http = createServer(app);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  it('Express without a body parser: GET ?jwt= verifies (no hang)', async () => {
    const token = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: '/custom?a=1' } });
    const response = await fetch(`${url}/custom?a=1&jwt=${token}`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, clientKey: tenant.clientKey });
  });

  it('Express: refusals are 401 JSON; mounted routers hash the original URL', async () => {
    const bad = await fetch(`${url}/custom`, { signal: AbortSignal.timeout(5000) });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('JWT realm="express-app"');
    const context = await mintSymmetric({ ...tenant, qsh: 'context', context: { a: 1 } });
    const mounted = await fetch(`${url}/mounted/x`, { headers: { authorization: `JWT ${context}` } });
    expect(await mounted.json()).toEqual({ a: 1 });
    const iframe = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: '/sub/y' } });
    expect((await fetch(`${url}/sub/y?jwt=${iframe}`)).status).toBe(200);
    const wrong = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: '/y' } });
    expect((await fetch(`${url}/sub/y?jwt=${wrong}`)).status).toBe(401);
  });

  it('Express: lifecycle routes mounted by expressMiddleware refuse unsigned installs', async () => {
    const response = await fetch(`${url}/installed`, {
      method: 'POST',
      body: JSON.stringify({ clientKey: tenant.clientKey }),
    });
    expect(response.status).toBe(401);
  });
});

const FORGE_APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const OTHER_FORGE_APP_ID = '99999999-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
let forgeKey: ForgeKeyPair;
let forgeJwks: ForgeJwksServer;

beforeAll(async () => {
  forgeKey = await createForgeKeyPair('reference-fit-key');
  forgeJwks = createForgeJwksServer([forgeKey]);
});

const newCloudId = () => `c0ffee00-${randomBytes(4).toString('hex')}-4000-8000-000000000000`;

/** A FIT as Forge sends it for the site `cloudId` (override any claim builder option). */
const fitFor = (cloudId: string, extra: Partial<Parameters<typeof mintForgeInvocationToken>[0]> = {}) =>
  mintForgeInvocationToken({ appId: FORGE_APP_ID, accountId: 'account-42', cloudId, ...extra }, forgeKey);

describe('one route for Connect and Forge (/api/caller)', () => {
  it('a context token and a FIT for the same site reach the same tenant; each says how it authenticated', async () => {
    const server = await start(`sqlite:${join(tempDir(), 'caller.db')}`, {
      forgeRemote: { appId: FORGE_APP_ID, jwksUrl: forgeJwks.url, fetch: forgeJwks.fetch },
    });
    try {
      const tenant = { ...newTenant(), cloudId: newCloudId() };
      expect((await install(server, tenant)).status).toBe(204);
      const contextToken = await mintSymmetric({ ...tenant, qsh: 'context', sub: 'account-42' });
      const viaConnect = await fetch(`${server.url}/api/caller`, { headers: { authorization: `JWT ${contextToken}` } });
      const viaForge = await fetch(`${server.url}/api/caller`, {
        headers: {
          authorization: `Bearer ${await fitFor(tenant.cloudId, { installationId: 'ari:cloud:ecosystem::installation/i-1' })}`,
        },
      });
      const common = {
        clientKey: tenant.clientKey,
        baseUrl: tenant.baseUrl,
        cloudId: tenant.cloudId,
        accountId: 'account-42',
      };
      expect(await viaConnect.json()).toEqual({ via: 'context', ...common, installationId: null });
      expect(await viaForge.json()).toEqual({
        via: 'forge',
        ...common,
        installationId: 'ari:cloud:ecosystem::installation/i-1',
      });
    } finally {
      await server.close();
    }
  });

  it('without forgeRemote the route takes Connect tokens only', async () => {
    const server = await start(`sqlite:${join(tempDir(), 'caller-connect.db')}`);
    try {
      const tenant = { ...newTenant(), cloudId: newCloudId() };
      expect((await install(server, tenant)).status).toBe(204);
      const response = await fetch(`${server.url}/api/caller`, {
        headers: { authorization: `Bearer ${await fitFor(tenant.cloudId)}` },
      });
      expect(response.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe('attack suite: found when tried as an attacker would', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await start(`sqlite:${join(tempDir(), 'attack.db')}`, {
      forgeRemote: { appId: FORGE_APP_ID, jwksUrl: forgeJwks.url, fetch: forgeJwks.fetch },
    });
  });
  afterAll(() => server.close());

  async function installWith(token: string, body: Record<string, unknown>) {
    return fetch(`${server.url}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: server.descriptor.key, productType: 'confluence', eventType: 'installed', ...body }),
    });
  }

  async function installToken(clientKey: string, iat?: number) {
    return mintInstall({ keys, clientKey, aud: server.url, url: '/installed', appBase: server.url, iat });
  }

  async function verifyWith(tenant: { clientKey: string; sharedSecret: string }) {
    const token = await mintSymmetric({ ...tenant, qsh: 'context' });
    return fetch(`${server.url}/api/verify`, { headers: { authorization: `JWT ${token}` } });
  }

  it('install replay: the same token with another secret → 401 LIFECYCLE_TOKEN_REPLAYED; the real tenant keeps working', async () => {
    const tenant = newTenant();
    const token = await installToken(tenant.clientKey);
    expect((await installWith(token, tenant)).status).toBe(204);
    expect((await installWith(token, tenant)).status).toBe(204);
    const attacker = { ...tenant, sharedSecret: randomBytes(32).toString('base64url') };
    const replay = await installWith(token, attacker);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('LIFECYCLE_TOKEN_REPLAYED');
    expect((await verifyWith(attacker)).status).toBe(401);
    expect((await verifyWith(tenant)).status).toBe(200);
  });

  it('a streamed 1 MiB lifecycle body → 413 (signed) or 401 before reading (unsigned), never a 5xx', async () => {
    const tenant = newTenant();
    const big = 'x'.repeat(1024 * 1024);
    const signed = await fetch(`${server.url}/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${await installToken(tenant.clientKey)}` },
      body: big,
    });
    expect(signed.status).toBe(413);
    const unsigned = await fetch(`${server.url}/installed`, { method: 'POST', body: big });
    expect(unsigned.status).toBe(401);
  });

  it.each([
    ['another app’s key', { key: 'com.other.app' }, 400],
    ['a CSP-breaking baseUrl host', { baseUrl: 'https://*;x.atlassian.net/wiki' }, 400],
    ['userinfo in baseUrl', { baseUrl: 'https://a:b@site.atlassian.net/wiki' }, 400],
  ])('an install with %s is refused and stores nothing', async (_, override, status) => {
    const tenant = newTenant();
    const response = await installWith(await installToken(tenant.clientKey), { ...tenant, ...override });
    expect(response.status).toBe(status);
    expect((await verifyWith(tenant)).status).toBe(401);
  });

  it('production: http and odd-port product baseUrls are refused (403)', async () => {
    const production = await start(`sqlite:${join(tempDir(), 'attack-prod.db')}`, { production: true });
    try {
      for (const baseUrl of ['http://site.atlassian.net/wiki', 'https://site.atlassian.net:8443/wiki']) {
        const tenant = { ...newTenant(), baseUrl };
        const token = await mintInstall({
          keys,
          clientKey: tenant.clientKey,
          aud: production.url,
          url: '/installed',
          appBase: production.url,
        });
        const response = await fetch(`${production.url}/installed`, {
          method: 'POST',
          headers: { authorization: `JWT ${token}` },
          body: JSON.stringify({ key: production.descriptor.key, eventType: 'installed', ...tenant }),
        });
        expect([baseUrl, response.status]).toEqual([baseUrl, 403]);
      }
    } finally {
      await production.close();
    }
  });

  it('no tenant oracle: an unknown clientKey and a bad signature get the same answer', async () => {
    const tenant = newTenant();
    expect((await installWith(await installToken(tenant.clientKey), tenant)).status).toBe(204);
    const unknown = await verifyWith({ clientKey: 'nobody-here', sharedSecret: tenant.sharedSecret });
    const forged = await verifyWith({ clientKey: tenant.clientKey, sharedSecret: 'y'.repeat(43) });
    expect([unknown.status, await unknown.text()]).toEqual([forged.status, await forged.text()]);
  });

  it('context tokens are not accepted from ?jwt=', async () => {
    const tenant = newTenant();
    expect((await installWith(await installToken(tenant.clientKey), tenant)).status).toBe(204);
    const token = await mintSymmetric({ ...tenant, qsh: 'context' });
    const response = await fetch(`${server.url}/api/verify?jwt=${token}`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('TOKEN_IN_QUERY');
  });

  it('bogus kids do not each cause a key fetch', async () => {
    const before = keyServer.hits.get('/bogus-kid') ?? 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      const token = await mintInstall({
        keys: { kid: 'bogus-kid', privateKey: keys.privateKey },
        clientKey: 'x',
        aud: server.url,
        url: '/installed',
        appBase: server.url,
      });
      expect(
        (await fetch(`${server.url}/installed`, { method: 'POST', headers: { authorization: `JWT ${token}` } })).status,
      ).toBe(401);
    }
    expect((keyServer.hits.get('/bogus-kid') ?? 0) - before).toBe(1);
  });

  async function callerWithFit(token: string, query = '') {
    const response = await fetch(`${server.url}/api/caller${query}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    for (const part of token.split('.')) expect(text).not.toContain(part);
    return { status: response.status, code: (JSON.parse(text) as { error?: { code: string } }).error?.code };
  }

  async function installedSite() {
    const tenant = { ...newTenant(), cloudId: newCloudId() };
    expect((await installWith(await installToken(tenant.clientKey), tenant)).status).toBe(204);
    return tenant;
  }

  it('a genuine FIT for a site where the app is not installed → 403 FORGE_SITE_NOT_INSTALLED', async () => {
    expect(await callerWithFit(await fitFor(newCloudId()))).toEqual({ status: 403, code: 'FORGE_SITE_NOT_INSTALLED' });
  });

  it('a FIT for a site whose tenant uninstalled → 403 FORGE_SITE_NOT_INSTALLED', async () => {
    const tenant = await installedSite();
    const uninstall = await mintInstall({
      keys,
      clientKey: tenant.clientKey,
      aud: server.url,
      url: '/uninstalled',
      appBase: server.url,
      iat: Math.floor(Date.now() / 1000) + 1,
    });
    const response = await fetch(`${server.url}/uninstalled`, {
      method: 'POST',
      headers: { authorization: `JWT ${uninstall}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: server.descriptor.key,
        productType: 'confluence',
        eventType: 'uninstalled',
        ...tenant,
      }),
    });
    expect(response.status).toBe(204);
    expect(await callerWithFit(await fitFor(tenant.cloudId))).toEqual({
      status: 403,
      code: 'FORGE_SITE_NOT_INSTALLED',
    });
  });

  it('a FIT minted for another Forge app (aud) → 401 AUDIENCE_MISMATCH', async () => {
    const tenant = await installedSite();
    expect(await callerWithFit(await fitFor(tenant.cloudId, { appId: OTHER_FORGE_APP_ID }))).toEqual({
      status: 401,
      code: 'AUDIENCE_MISMATCH',
    });
  });

  it("a FIT for one site plus another tenant's Connect ?jwt= → 401 TOKEN_AMBIGUOUS (neither tenant is served)", async () => {
    const forgeSite = await installedSite();
    const connectSite = await installedSite();
    const jwt = await mintSymmetric({ ...connectSite, qsh: 'context' });
    expect(await callerWithFit(await fitFor(forgeSite.cloudId), `?jwt=${jwt}`)).toEqual({
      status: 401,
      code: 'TOKEN_AMBIGUOUS',
    });
  });

  it("a FIT whose call context names another tenant's site than its installation → 401 TOKEN_MALFORMED", async () => {
    const mine = await installedSite();
    const theirs = await installedSite();
    const claims = decodeJwt(await fitFor(theirs.cloudId)) as Record<string, unknown> & {
      app: Record<string, unknown>;
    };
    claims.app.installation = { contexts: [{ cloudId: mine.cloudId }] };
    const mixed = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: forgeKey.kid })
      .sign(forgeKey.privateKey);
    expect(await callerWithFit(mixed)).toEqual({ status: 401, code: 'TOKEN_MALFORMED' });
  });

  it("a FIT carrying another tenant's Forge installationId with this site's cloudId → 403 FORGE_INSTALLATION_MISMATCH, served as neither", async () => {
    const mine = await installedSite();
    const theirs = {
      ...newTenant(),
      cloudId: newCloudId(),
      installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
    };
    expect((await installWith(await installToken(theirs.clientKey), theirs)).status).toBe(204);
    expect(await callerWithFit(await fitFor(mine.cloudId, { installationId: theirs.installationId }))).toEqual({
      status: 403,
      code: 'FORGE_INSTALLATION_MISMATCH',
    });
    // The link did not move: their installation still reaches their tenant, and a FIT of a new installation on my
    // site reaches mine (and links it there), after which it cannot be used for theirs.
    const theirCall = await fetch(`${server.url}/api/caller`, {
      headers: { authorization: `Bearer ${await fitFor(theirs.cloudId, { installationId: theirs.installationId })}` },
    });
    expect(await theirCall.json()).toMatchObject({ via: 'forge', clientKey: theirs.clientKey });
    const myInstallation = `ari:cloud:ecosystem::installation/${randomUUID()}`;
    expect((await callerWithFit(await fitFor(mine.cloudId, { installationId: myInstallation }))).status).toBe(200);
    expect(await callerWithFit(await fitFor(theirs.cloudId, { installationId: myInstallation }))).toEqual({
      status: 403,
      code: 'FORGE_INSTALLATION_MISMATCH',
    });
  });

  it('a FIT whose icLabel could steer a key URL (../) → 401 TOKEN_MALFORMED, and no other key set is fetched', async () => {
    const tenant = await installedSite();
    const claims = decodeJwt(await fitFor(tenant.cloudId));
    const token = await new SignJWT({ ...claims, icLabel: '../../attacker.example' })
      .setProtectedHeader({ alg: 'RS256', kid: forgeKey.kid })
      .sign(forgeKey.privateKey);
    expect(await callerWithFit(token)).toEqual({ status: 401, code: 'TOKEN_MALFORMED' });
  });

  it('an expired FIT → 401 FORGE_TOKEN_EXPIRED (the frontend may retry once with a fresh one)', async () => {
    const tenant = await installedSite();
    const expired = await fitFor(tenant.cloudId, { now: () => Date.now() - 10 * 60 * 1000, expiresInSeconds: 25 });
    expect(await callerWithFit(expired)).toEqual({ status: 401, code: 'FORGE_TOKEN_EXPIRED' });
  });

  it('a FIT signed by a key outside the configured key set → 401, whatever apiBaseUrl it claims', async () => {
    const tenant = await installedSite();
    const stranger = await createForgeKeyPair(forgeKey.kid);
    const forged = await mintForgeInvocationToken(
      { appId: FORGE_APP_ID, cloudId: tenant.cloudId, apiBaseUrl: 'https://api.stg.atlassian.com/ex/confluence/x' },
      stranger,
    );
    expect(await callerWithFit(forged)).toEqual({ status: 401, code: 'SIGNATURE_INVALID' });
  });

  it('an exception in the app’s own Forge routes is a generic 500: logged, never echoed', async () => {
    const dev = await start(`sqlite:${join(tempDir(), 'forge-error.db')}`, {
      forgeCustomUiHtml: async () => {
        throw new Error('internal detail: /srv/app/secret-path');
      },
    });
    const errors = console.error;
    console.error = () => {};
    try {
      const response = await fetch(`${dev.url}/forge/macro`);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('secret-path');
    } finally {
      console.error = errors;
      await dev.close();
    }
  });
  async function deliver(target: ReferenceServer, event: string, token: string, body: Record<string, unknown>) {
    return fetch(`${target.url}/${event}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: target.descriptor.key, productType: 'confluence', eventType: event, ...body }),
    });
  }

  it('an `enabled` replayed just after exp (inside the leeway) naming the attacker’s site → 401; their FIT still reaches nothing', async () => {
    const victim = {
      ...newTenant(),
      cloudId: newCloudId(),
      installationId: `ari:cloud:ecosystem::installation/${randomUUID()}`,
    };
    const attacker = { cloudId: newCloudId(), installationId: `ari:cloud:ecosystem::installation/${randomUUID()}` };
    const nowSeconds = Math.floor(Date.now() / 1000);
    const lifecycleToken = (event: string, iat: number, exp: number) =>
      mintInstall({
        keys,
        clientKey: victim.clientKey,
        aud: server.url,
        url: `/${event}`,
        appBase: server.url,
        iat,
        exp,
      });
    expect(
      (await deliver(server, 'installed', await lifecycleToken('installed', nowSeconds - 60, nowSeconds + 600), victim))
        .status,
    ).toBe(204);
    const enabled = await lifecycleToken('enabled', nowSeconds - 20, nowSeconds - 5);
    expect((await deliver(server, 'enabled', enabled, victim)).status).toBe(204);
    const replay = await deliver(server, 'enabled', enabled, { ...victim, ...attacker });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('LIFECYCLE_TOKEN_REPLAYED');
    expect(await callerWithFit(await fitFor(attacker.cloudId, { installationId: attacker.installationId }))).toEqual({
      status: 403,
      code: 'FORGE_SITE_NOT_INSTALLED',
    });
  });

  it('a header built from request data (CR/LF, non-Latin-1) → 500, and the server keeps serving', async () => {
    // The development server's vite middleware stands for any handler that writes a request's data into a header.
    const withMiddleware = await start(`sqlite:${join(tempDir(), 'attack-header.db')}`, {
      viteMiddleware: (req, res) => {
        const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? 'file.txt';
        res.writeHead(200, { 'content-disposition': `attachment; filename="${name}"` });
        res.end('file');
      },
    });
    const errors = console.error;
    console.error = () => {};
    try {
      for (const name of ['a%0D%0ASet-Cookie:%20x=1', '%E2%82%AC.txt']) {
        const response = await fetch(`${withMiddleware.url}/download?name=${name}`, {
          signal: AbortSignal.timeout(5000),
        });
        expect([name, response.status]).toEqual([name, 500]);
        expect(response.headers.get('set-cookie')).toBeNull();
        expect((await fetch(`${withMiddleware.url}/healthz`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
      }
      const served = await fetch(`${withMiddleware.url}/download?name=report.txt`);
      expect(served.headers.get('content-disposition')).toBe('attachment; filename="report.txt"');
    } finally {
      console.error = errors;
      await withMiddleware.close();
    }
  });

  it('a flood of unsigned installs with random kids does not starve the known install key’s refresh', async () => {
    let clock = Date.now();
    const flooded = await start(`sqlite:${join(tempDir(), 'attack-flood.db')}`, {
      installKeys: createInstallKeyFetcher({ url: keyServer.url, now: () => clock }),
    });
    try {
      const tenant = newTenant();
      const token = (event: string, iat: number) =>
        mintInstall({
          keys,
          clientKey: tenant.clientKey,
          aud: flooded.url,
          url: `/${event}`,
          appBase: flooded.url,
          iat,
        });
      const nowSeconds = Math.floor(Date.now() / 1000);
      const keyPath = `/${keys.kid}`;
      const fetchesBefore = keyServer.hits.get(keyPath) ?? 0;
      expect((await deliver(flooded, 'installed', await token('installed', nowSeconds - 10), tenant)).status).toBe(204);
      clock += 24 * 60 * 60 * 1000 + 60_000; // the cached key is past its 24 h TTL
      const statuses: number[] = [];
      for (let sent = 0; sent < 10; sent++) {
        const bogus = await mintInstall({
          keys: { kid: `bogus/${randomBytes(6).toString('hex')}`, privateKey: keys.privateKey },
          clientKey: tenant.clientKey,
          aud: flooded.url,
          url: '/installed',
          appBase: flooded.url,
        });
        statuses.push(
          (await fetch(`${flooded.url}/installed`, { method: 'POST', headers: { authorization: `JWT ${bogus}` } }))
            .status,
        );
      }
      expect(statuses).toContain(503); // the shared fetch budget is spent
      expect((await deliver(flooded, 'enabled', await token('enabled', nowSeconds - 5), tenant)).status).toBe(204);
      await expect.poll(() => (keyServer.hits.get(keyPath) ?? 0) - fetchesBefore).toBe(2); // refreshed anyway
    } finally {
      await flooded.close();
    }
  });

  it('a tenant whose stored secret no longer decrypts answers like an unknown one (no oracle, no key detail)', async () => {
    const databaseUrl = `sqlite:${join(tempDir(), 'attack-undecryptable.db')}`;
    const tenant = newTenant();
    const before = await start(databaseUrl, { secretKey: randomBytes(32).toString('hex') });
    try {
      expect((await install(before, tenant)).status).toBe(204);
    } finally {
      await before.close();
    }
    const after = await start(databaseUrl, { secretKey: randomBytes(32).toString('hex') }); // the old key is gone
    const errors = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const answerFor = async (clientKey: string) => {
        const token = await mintSymmetric({ clientKey, sharedSecret: 'z'.repeat(43), qsh: 'context' });
        const response = await fetch(`${after.url}/api/verify`, { headers: { authorization: `JWT ${token}` } });
        return { status: response.status, body: await response.text() };
      };
      const broken = await answerFor(tenant.clientKey);
      expect(broken).toEqual(await answerFor('nobody-installed-this'));
      expect(broken.status).toBe(401);
      expect(broken.body).not.toMatch(/TENANT_SECRET_KEY|generation|decrypt/i);
      expect(JSON.stringify(logged.map(String))).toContain('TENANT_SECRET_KEY'); // the operator's log has it
    } finally {
      console.error = errors;
      await after.close();
    }
  });
});
