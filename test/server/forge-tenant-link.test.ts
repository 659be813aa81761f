/**
 * One backend for a Connect app and the same app adopted onto Forge: a route with `auth: ['context', 'forge']`
 * takes a Connect context token or a Forge Invocation Token, and both resolve to the SAME tenant, linked by the
 * site's cloudId from the Connect install payload. On a real SQLite file and on a real PostgreSQL.
 */
import Database from 'better-sqlite3';
import { SignJWT, decodeJwt, importSPKI } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  jsonResponse,
  openTenantStore,
  type ConnectAppConfig,
  type RouteCaller,
  type TenantStore,
} from '../../src/server/index.js';
import { createForgeKeySet } from '../../src/server/forge/key-set.js';
import { createTableSql } from '../../src/server/tenants/sql.js';
import { createPostgresTenantStore } from '../../src/server/tenants/postgres-store.js';
import { parseLifecyclePayload } from '../../src/server/lifecycle/payload.js';
import { createForgeKeyPair, mintForgeInvocationToken, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';
import { createInstallKeyPair, type InstallKeyPair } from './helpers/key-server.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { secretBox } from './helpers/tenant-fixture.js';
import { APP_KEY, mintInstall, mintSymmetric } from './helpers/tokens.js';

const APP = 'https://app.example.com';
const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const OTHER_APP_ID = '99999999-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const JWKS_URL = 'https://forge-jwks.test/.well-known/jwks.json';

let installKeys: InstallKeyPair;
let forgeKey: ForgeKeyPair;
const tempDirs: string[] = [];

beforeAll(async () => {
  installKeys = await createInstallKeyPair('link/install-key');
  forgeKey = await createForgeKeyPair('link-forge-key');
});
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cik-link-'));
  tempDirs.push(dir);
  return dir;
}

interface Backend {
  name: string;
  /** opens the store; `legacy` first creates the table as it was before the cloud_id column existed */
  open(options?: { legacy?: boolean }): Promise<TenantStore>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const file = join(tempDir(), 'tenants.db');
  return {
    name: 'SQLite file',
    async open({ legacy = false } = {}) {
      if (legacy) {
        const db = new Database(file);
        db.exec(createTableSql('cik_tenants', 'INTEGER'));
        db.close();
      }
      return openTenantStore(`sqlite:${file}`, secretBox);
    },
    async cleanup() {},
  };
}

const pgUrl = await resolvePostgresUrl();

function postgresBackend(url: string): Backend {
  const table = uniqueTable();
  return {
    name: 'PostgreSQL',
    async open({ legacy = false } = {}) {
      if (legacy) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(createTableSql(table, 'BIGINT'));
        await client.end();
      }
      return openTenantStore(url, secretBox, { table });
    },
    cleanup: () => dropTable(url, table),
  };
}

const backends: Array<() => Backend> = [sqliteBackend];
if (pgUrl) backends.push(() => postgresBackend(pgUrl));

/** The in-memory Forge CDN: only the configured JWKS URL answers. */
const forgeFetch = (async (input: RequestInfo | URL) =>
  String(input) === JWKS_URL
    ? Response.json({ keys: [forgeKey.publicJwk] })
    : new Response('no', { status: 404 })) as typeof fetch;

const callerOf = ({ caller }: { caller: RouteCaller | undefined }) => {
  const {
    connect: _connect,
    forge: _forge,
    // the typed fields and client every caller carries (typed-caller.test.ts, backend-calls tests check them)
    host: _host,
    content: _content,
    space: _space,
    claims: _claims,
    confluence: _confluence,
    ...fields
  } = caller as RouteCaller & { connect?: unknown; forge?: unknown; confluence?: unknown };
  return jsonResponse(200, fields);
};

function app(store: TenantStore, extra: Partial<ConnectAppConfig> = {}) {
  const connectApp = createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants: store,
    installKeys: { getKey: async () => importSPKI(installKeys.publicPem, 'RS256') },
    forge: { appId: APP_ID, keySet: createForgeKeySet({ url: JWKS_URL, fetch: forgeFetch }) },
    routes: [
      { method: 'GET', path: '/api/me', auth: ['context', 'forge'], handle: callerOf },
      { method: 'GET', path: '/api/connect-only', auth: 'context', handle: callerOf },
      { method: 'GET', path: '/api/forge-only', auth: 'forge', handle: callerOf },
      { method: 'GET', path: '/macro', auth: 'iframe', handle: callerOf },
      {
        method: 'GET',
        path: '/api/admin',
        auth: ['context', 'forge'],
        authorizeCaller: (caller) => caller.accountId === 'admin-1',
        handle: callerOf,
      },
    ],
    ...extra,
  });
  return createFetchHandler(connectApp);
}

interface Site {
  /** the install payload's Forge installation (Connect apps on Forge), when the test sends one */
  installationId?: string;
  clientKey: string;
  sharedSecret: string;
  baseUrl: string;
  cloudId: string;
}

function newSite(): Site {
  const id = randomBytes(4).toString('hex');
  return {
    clientKey: `client-${id}`,
    sharedSecret: randomBytes(32).toString('base64url'),
    baseUrl: `https://site-${id}.atlassian.net/wiki`,
    cloudId: `c0ffee00-${id}-4000-8000-000000000000`,
  };
}

let iatCounter = Math.floor(Date.now() / 1000) - 60;

async function lifecycle(
  handler: ReturnType<typeof app>,
  site: Partial<Site> & { clientKey: string },
  event = 'installed',
): Promise<number> {
  iatCounter += 1;
  const token = await mintInstall({
    keys: installKeys,
    clientKey: site.clientKey,
    aud: APP,
    url: `/${event}`,
    appBase: APP,
    iat: iatCounter,
  });
  const response = await handler(
    new Request(`${APP}/${event}`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: APP_KEY, productType: 'confluence', eventType: event, ...site }),
    }),
  );
  return response.status;
}

const fit = (cloudId: string, extra: Partial<Parameters<typeof mintForgeInvocationToken>[0]> = {}) =>
  mintForgeInvocationToken(
    {
      appId: APP_ID,
      accountId: 'user-1',
      cloudId,
      installationId: `ari:cloud:ecosystem::installation/${randomBytes(4).toString('hex')}`,
      ...extra,
    },
    forgeKey,
  );

const get = (path: string, authorization: string) => new Request(`${APP}${path}`, { headers: { authorization } });

async function body(response: Response): Promise<{ status: number; json: Record<string, unknown> }> {
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe.each(backends.map((make) => [make().name, make] as const))('%s', (_name, make) => {
  async function withApp(
    run: (handler: ReturnType<typeof app>, store: TenantStore) => Promise<void>,
    options: { legacy?: boolean } = {},
  ) {
    const backend = make();
    const store = await backend.open(options);
    try {
      await run(app(store), store);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  }

  it('a FIT and a Connect context token for one site reach the same tenant, each saying how it authenticated', async () => {
    await withApp(async (handler, store) => {
      const site = newSite();
      expect(await lifecycle(handler, site)).toBe(204);
      expect((await store.get(site.clientKey))?.cloudId).toBe(site.cloudId);

      const token = await mintSymmetric({ ...site, qsh: 'context', sub: 'user-1' });
      const connect = await body(await handler(get('/api/me', `JWT ${token}`)));
      expect(connect).toEqual({
        status: 200,
        json: {
          via: 'context',
          clientKey: site.clientKey,
          baseUrl: site.baseUrl,
          cloudId: site.cloudId,
          accountId: 'user-1',
        },
      });

      const installationId = 'ari:cloud:ecosystem::installation/first';
      const forge = await body(await handler(get('/api/me', `Bearer ${await fit(site.cloudId, { installationId })}`)));
      expect(forge).toEqual({
        status: 200,
        json: {
          via: 'forge',
          clientKey: site.clientKey,
          baseUrl: site.baseUrl,
          cloudId: site.cloudId,
          accountId: 'user-1',
          installationId,
        },
      });
    });
  });

  it('a FIT for a site without an installed tenant → 403 FORGE_SITE_NOT_INSTALLED; disabled and uninstalled too', async () => {
    await withApp(async (handler) => {
      const unknown = await handler(get('/api/me', `Bearer ${await fit('00000000-0000-4000-8000-000000000000')}`));
      expect(await body(unknown)).toEqual({
        status: 403,
        json: { error: { code: 'FORGE_SITE_NOT_INSTALLED', message: expect.any(String) } },
      });

      const site = newSite();
      expect(await lifecycle(handler, site)).toBe(204);
      expect((await handler(get('/api/me', `Bearer ${await fit(site.cloudId)}`))).status).toBe(200);
      expect(await lifecycle(handler, site, 'disabled')).toBe(204);
      expect((await body(await handler(get('/api/me', `Bearer ${await fit(site.cloudId)}`)))).json).toMatchObject({
        error: { code: 'FORGE_SITE_NOT_INSTALLED' },
      });
      expect(await lifecycle(handler, site, 'enabled')).toBe(204);
      expect((await handler(get('/api/me', `Bearer ${await fit(site.cloudId)}`))).status).toBe(200);
      expect(await lifecycle(handler, site, 'uninstalled')).toBe(204);
      expect((await handler(get('/api/me', `Bearer ${await fit(site.cloudId)}`))).status).toBe(403);
      // A reinstall: Forge's installationId changes, the site link does not.
      expect(await lifecycle(handler, { ...site, sharedSecret: randomBytes(32).toString('base64url') })).toBe(204);
      const again = await body(
        await handler(
          get(
            '/api/me',
            `Bearer ${await fit(site.cloudId, { installationId: 'ari:cloud:ecosystem::installation/second' })}`,
          ),
        ),
      );
      expect(again.json).toMatchObject({
        via: 'forge',
        clientKey: site.clientKey,
        installationId: 'ari:cloud:ecosystem::installation/second',
      });
    });
  });

  it('onLifecycle sees the site id the install stored', async () => {
    const backend = make();
    const store = await backend.open();
    try {
      const notices: Array<string | undefined> = [];
      const handler = app(store, { onLifecycle: (notice) => notices.push(notice.tenant?.cloudId) });
      const site = newSite();
      expect(await lifecycle(handler, site)).toBe(204);
      expect(notices).toEqual([site.cloudId]);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });

  it('an install without a cloudId links no site: its FITs are refused, its Connect tokens still work', async () => {
    await withApp(async (handler) => {
      const { cloudId, ...withoutSite } = newSite();
      expect(await lifecycle(handler, withoutSite)).toBe(204);
      expect((await handler(get('/api/me', `Bearer ${await fit(cloudId)}`))).status).toBe(403);
      const token = await mintSymmetric({ ...withoutSite, qsh: 'context' });
      expect(await body(await handler(get('/api/me', `JWT ${token}`)))).toMatchObject({
        status: 200,
        json: { via: 'context', clientKey: withoutSite.clientKey },
      });
    });
  });

  it('a database created before the site link is migrated on open and then links sites', async () => {
    await withApp(
      async (handler) => {
        const site = newSite();
        expect(await lifecycle(handler, site)).toBe(204);
        expect((await body(await handler(get('/api/me', `Bearer ${await fit(site.cloudId)}`)))).json).toMatchObject({
          clientKey: site.clientKey,
        });
      },
      { legacy: true },
    );
  });

  it('two sites: each FIT reaches its own site’s tenant only', async () => {
    await withApp(async (handler) => {
      const first = newSite();
      const second = newSite();
      expect(await lifecycle(handler, first)).toBe(204);
      expect(await lifecycle(handler, second)).toBe(204);
      for (const site of [first, second]) {
        expect((await body(await handler(get('/api/me', `Bearer ${await fit(site.cloudId)}`)))).json).toMatchObject({
          clientKey: site.clientKey,
        });
      }
    });
  });
});

const installationId = () => `ari:cloud:ecosystem::installation/${randomUUID()}`;

describe.each(backends.map((make) => [make().name, make] as const))(
  '%s: the Forge installation link comes first, the site second',
  (_name, make) => {
    async function withApp(
      run: (handler: ReturnType<typeof app>, store: TenantStore) => Promise<void>,
      options: { legacy?: boolean } = {},
    ) {
      const backend = make();
      const store = await backend.open(options);
      try {
        await run(app(store), store);
      } finally {
        await store.close();
        await backend.cleanup();
      }
    }
    const forgeCall = async (handler: ReturnType<typeof app>, cloudId: string, id: string) =>
      body(await handler(get('/api/me', `Bearer ${await fit(cloudId, { installationId: id })}`)));

    it("the install payload's installationId is stored and a FIT of that installation maps to it, even without a site link", async () => {
      await withApp(async (handler, store) => {
        const { cloudId, ...withoutSite } = newSite();
        const linked = installationId();
        expect(await lifecycle(handler, { ...withoutSite, installationId: linked })).toBe(204);
        expect(await store.get(withoutSite.clientKey)).toMatchObject({
          forgeInstallationId: linked,
          forgeInstallationSource: 'install',
        });
        expect(await store.findClientKeyByInstallationId!(linked)).toBe(withoutSite.clientKey);
        expect(await forgeCall(handler, cloudId, linked)).toMatchObject({
          status: 200,
          json: { via: 'forge', clientKey: withoutSite.clientKey, installationId: linked },
        });
        // Another installation on that site finds nothing: the tenant names no site.
        expect((await forgeCall(handler, cloudId, installationId())).status).toBe(403);
      });
    });

    it('a FIT that reached its tenant by the site stores its installation there, so the next lookup is direct', async () => {
      await withApp(async (handler, store) => {
        const site = newSite();
        expect(await lifecycle(handler, site)).toBe(204);
        const first = installationId();
        expect(await store.findClientKeyByInstallationId!(first)).toBeUndefined();
        expect((await forgeCall(handler, site.cloudId, first)).json).toMatchObject({ clientKey: site.clientKey });
        expect(await store.get(site.clientKey)).toMatchObject({
          forgeInstallationId: first,
          forgeInstallationSource: 'fit',
        });
        expect(await store.findClientKeyByInstallationId!(first)).toBe(site.clientKey);
        // Forge reinstalled without telling the remote: the new installation replaces a link a FIT stored.
        const second = installationId();
        expect((await forgeCall(handler, site.cloudId, second)).json).toMatchObject({ clientKey: site.clientKey });
        expect((await store.get(site.clientKey))?.forgeInstallationId).toBe(second);
        // Disabled: the linked installation finds no active tenant.
        expect(await lifecycle(handler, site, 'disabled')).toBe(204);
        expect((await forgeCall(handler, site.cloudId, second)).json).toMatchObject({
          error: { code: 'FORGE_SITE_NOT_INSTALLED' },
        });
        expect(await store.findClientKeyByInstallationId!(second)).toBeUndefined();
      });
    });

    it("a FIT never overwrites the link an install payload set; a reinstall's new installationId replaces it", async () => {
      await withApp(async (handler, store) => {
        const site = newSite();
        const fromInstall = installationId();
        expect(await lifecycle(handler, { ...site, installationId: fromInstall })).toBe(204);
        const other = installationId();
        expect((await forgeCall(handler, site.cloudId, other)).json).toMatchObject({ clientKey: site.clientKey });
        expect(await store.get(site.clientKey)).toMatchObject({
          forgeInstallationId: fromInstall,
          forgeInstallationSource: 'install',
        });
        expect(
          await store.linkForgeInstallation!({
            clientKey: site.clientKey,
            cloudId: site.cloudId,
            installationId: other,
          }),
        ).toBe(false);

        const reinstalled = installationId();
        expect(await lifecycle(handler, { ...site, installationId: reinstalled })).toBe(204);
        expect((await store.get(site.clientKey))?.forgeInstallationId).toBe(reinstalled);
        expect(await store.findClientKeyByInstallationId!(fromInstall)).toBeUndefined();
        // A reinstall without an installationId clears the link: that installation is gone.
        expect(await lifecycle(handler, site)).toBe(204);
        expect((await store.get(site.clientKey))?.forgeInstallationId).toBeUndefined();
        expect(await store.findClientKeyByInstallationId!(reinstalled)).toBeUndefined();
      });
    });

    it("a FIT carrying another tenant's installationId with this site's cloudId → 403 FORGE_INSTALLATION_MISMATCH, no link moves", async () => {
      await withApp(async (handler, store) => {
        const mine = newSite();
        const theirs = newSite();
        const theirInstallation = installationId();
        expect(await lifecycle(handler, mine)).toBe(204);
        expect(await lifecycle(handler, { ...theirs, installationId: theirInstallation })).toBe(204);
        expect(await forgeCall(handler, mine.cloudId, theirInstallation)).toEqual({
          status: 403,
          json: { error: { code: 'FORGE_INSTALLATION_MISMATCH', message: expect.any(String) } },
        });
        expect((await store.get(mine.clientKey))?.forgeInstallationId).toBeUndefined();
        expect(await store.findClientKeyByInstallationId!(theirInstallation)).toBe(theirs.clientKey);

        // The same with a link a FIT stored: it stays with its own site's tenant.
        const fitLinked = installationId();
        expect((await forgeCall(handler, mine.cloudId, fitLinked)).json).toMatchObject({ clientKey: mine.clientKey });
        expect((await forgeCall(handler, theirs.cloudId, fitLinked)).json).toMatchObject({
          error: { code: 'FORGE_INSTALLATION_MISMATCH' },
        });
        expect(await store.findClientKeyByInstallationId!(fitLinked)).toBe(mine.clientKey);
        // The store itself refuses a link across sites, and a link another tenant holds.
        const fresh = installationId();
        expect(
          await store.linkForgeInstallation!({
            clientKey: mine.clientKey,
            cloudId: theirs.cloudId,
            installationId: fresh,
          }),
        ).toBe(false);
        expect(
          await store.linkForgeInstallation!({
            clientKey: theirs.clientKey,
            cloudId: theirs.cloudId,
            installationId: fitLinked,
          }),
        ).toBe(false);
      });
    });

    it('a database created before the installation link is migrated on open and then links installations', async () => {
      await withApp(
        async (handler, store) => {
          const site = newSite();
          const linked = installationId();
          expect(await lifecycle(handler, { ...site, installationId: linked })).toBe(204);
          expect(await store.findClientKeyByInstallationId!(linked)).toBe(site.clientKey);
        },
        { legacy: true },
      );
    });
  },
);

describe.skipIf(!pgUrl)('PostgreSQL: the migration on open', () => {
  it('a migrated table opens without ALTER TABLE, so a long transaction on it does not stall (or fail) startup', async () => {
    const table = uniqueTable();
    const first = await openTenantStore(pgUrl!, secretBox, { table });
    await first.close();
    const reader = new pg.Client({ connectionString: pgUrl });
    await reader.connect();
    try {
      // A long-running reader: its lock conflicts with the exclusive lock every ALTER TABLE takes.
      await reader.query('BEGIN');
      await reader.query(`SELECT count(*) FROM ${table}`);
      const second = await openTenantStore(pgUrl!, secretBox, { table, timeoutMs: 1000 });
      await second.close();
    } finally {
      await reader.query('ROLLBACK').catch(() => {});
      await reader.end();
      await dropTable(pgUrl!, table);
    }
  });
});

describe.skipIf(!pgUrl)('PostgreSQL: reads while another instance migrates', () => {
  it('a column added to the table later (a newer instance opening it) does not break this store’s reads', async () => {
    const table = uniqueTable();
    // One connection: the second read runs on the connection that prepared the statement.
    const store = await createPostgresTenantStore({ connectionString: pgUrl!, secretBox, table, max: 1 });
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      const site = newSite();
      await store.applyLifecycleEvent({ ...site, eventType: 'installed', iat: 1 });
      expect((await store.get(site.clientKey))?.clientKey).toBe(site.clientKey);
      await admin.query(`ALTER TABLE ${table} ADD COLUMN added_later TEXT`);
      expect((await store.get(site.clientKey))?.cloudId).toBe(site.cloudId);
    } finally {
      await admin.end();
      await store.close();
      await dropTable(pgUrl!, table);
    }
  });
});

describe('attacks on a route that takes both', () => {
  let store: TenantStore;
  let handler: ReturnType<typeof app>;
  let site: Site;
  let other: Site;
  beforeAll(async () => {
    store = await openTenantStore(`sqlite:${join(tempDir(), 'attacks.db')}`, secretBox);
    handler = app(store);
    site = newSite();
    other = newSite();
    expect(await lifecycle(handler, site)).toBe(204);
    expect(await lifecycle(handler, other)).toBe(204);
  });
  afterAll(() => store.close());

  it("a FIT with another app's aud → 401 AUDIENCE_MISMATCH, Bearer challenge", async () => {
    const token = await fit(site.cloudId, { appId: OTHER_APP_ID });
    const response = await handler(get('/api/me', `Bearer ${token}`));
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="forge-remote"/);
    expect(await body(response)).toMatchObject({ status: 401, json: { error: { code: 'AUDIENCE_MISMATCH' } } });
  });

  it("a FIT for one site together with another tenant's Connect ?jwt= → 401 TOKEN_AMBIGUOUS, neither tenant served", async () => {
    const jwt = await mintSymmetric({ ...other, qsh: 'context' });
    const response = await handler(get(`/api/me?jwt=${jwt}`, `Bearer ${await fit(site.cloudId)}`));
    expect(await body(response)).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_AMBIGUOUS' } } });
  });

  it("a FIT whose call context names another tenant's site than its installation → 401 TOKEN_MALFORMED", async () => {
    const genuine = await fit(other.cloudId);
    const claims = decodeJwt(genuine) as Record<string, unknown> & { app: Record<string, unknown> };
    claims.app.installation = { contexts: [{ cloudId: site.cloudId }] };
    const mixed = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: forgeKey.kid })
      .sign(forgeKey.privateKey);
    expect(await body(await handler(get('/api/me', `Bearer ${mixed}`)))).toMatchObject({
      status: 401,
      json: { error: { code: 'TOKEN_MALFORMED' } },
    });
  });

  it('a FIT on a Connect-only route, and a Connect token on a Forge-only route, are refused (401)', async () => {
    const onConnect = await handler(get('/api/connect-only', `Bearer ${await fit(site.cloudId)}`));
    expect(onConnect.headers.get('www-authenticate')).toMatch(/^JWT realm=/);
    expect(await body(onConnect)).toMatchObject({ status: 401 });
    const jwt = await mintSymmetric({ ...site, qsh: 'context' });
    const onForge = await handler(get('/api/forge-only', `JWT ${jwt}`));
    expect(await body(onForge)).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_MISSING' } } });
  });

  it('routes without forge verify as before: a stray Bearer header does not stop an iframe ?jwt=', async () => {
    const jwt = await mintSymmetric({ ...site, qsh: { method: 'GET', url: '/macro?x=1', appBase: APP } });
    const response = await handler(get(`/macro?x=1&jwt=${jwt}`, 'Bearer something-a-proxy-added'));
    expect(await body(response)).toMatchObject({ status: 200, json: { via: 'iframe', clientKey: site.clientKey } });
  });

  it('app.authenticate gives routes outside the table the same caller', async () => {
    const connectApp = createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      forge: { appId: APP_ID, keySet: createForgeKeySet({ url: JWKS_URL, fetch: forgeFetch }) },
    });
    const caller = await connectApp.authenticate(get('/own', `Bearer ${await fit(site.cloudId)}`), [
      'context',
      'forge',
    ]);
    expect([caller.via, caller.clientKey]).toEqual(['forge', site.clientKey]);
    await expect(
      connectApp.authenticate(get('/own', `Bearer ${await fit(site.cloudId)}`), 'context'),
    ).rejects.toMatchObject({ code: 'TOKEN_MISSING' });
    await expect(connectApp.authenticate(get('/own', 'JWT x.y.z'), 'none' as 'context')).rejects.toThrow(TypeError);
  });

  it('authorizeCaller runs for FIT callers as for Connect callers: 403 NOT_AUTHORIZED', async () => {
    expect((await handler(get('/api/admin', `Bearer ${await fit(site.cloudId)}`))).status).toBe(403);
    expect(
      (await handler(get('/api/admin', `Bearer ${await fit(site.cloudId, { accountId: 'admin-1' })}`))).status,
    ).toBe(200);
    const jwt = await mintSymmetric({ ...site, qsh: 'context', sub: 'user-1' });
    expect((await handler(get('/api/admin', `JWT ${jwt}`))).status).toBe(403);
  });

  it('an expired FIT → 401 FORGE_TOKEN_EXPIRED through createConnectApp too', async () => {
    const token = await fit(site.cloudId, { now: () => Date.now() - 10 * 60 * 1000, expiresInSeconds: 25 });
    const response = await handler(get('/api/me', `Bearer ${token}`));
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(JSON.parse(text)).toEqual({ error: { code: 'FORGE_TOKEN_EXPIRED', message: expect.any(String) } });
    for (const part of token.split('.')) expect(text).not.toContain(part);
  });
});

describe('configuration errors at startup', () => {
  let store: TenantStore;
  beforeAll(async () => {
    store = await openTenantStore('sqlite::memory:', secretBox);
  });
  afterAll(() => store.close());
  const route = { method: 'GET', path: '/x', handle: () => jsonResponse(200, {}) };

  it.each([
    ['a forge route without forge config', { routes: [{ ...route, auth: ['context', 'forge'] as const }] }],
    [
      'authorize (Connect-shaped) on a route that accepts forge',
      {
        forge: { appId: APP_ID },
        routes: [{ ...route, auth: ['context', 'forge'] as const, authorize: () => true }],
      },
    ],
    ['iframe and context together', { routes: [{ ...route, auth: ['iframe', 'context'] as const }] }],
    ['an unknown method', { routes: [{ ...route, auth: ['jwt'] as unknown as ['context'] }] }],
    ['an empty list', { routes: [{ ...route, auth: [] as const }] }],
  ])('%s is a TypeError', (_name, config) => {
    expect(() => createConnectApp({ appKey: APP_KEY, baseUrl: APP, tenants: store, ...config })).toThrow(TypeError);
  });

  it('a store that cannot look up sites cannot serve forge routes', () => {
    const { findClientKeyByCloudId: _lookup, ...limited } = store;
    expect(() =>
      createConnectApp({
        appKey: APP_KEY,
        baseUrl: APP,
        tenants: limited as TenantStore,
        forge: { appId: APP_ID },
        routes: [{ ...route, auth: 'forge' }],
      }),
    ).toThrow(TypeError);
  });
});

describe("the install payload's cloudId", () => {
  const payload = (cloudId: unknown) =>
    parseLifecyclePayload(
      JSON.stringify({
        key: APP_KEY,
        clientKey: 'client-1',
        baseUrl: 'https://site.atlassian.net/wiki',
        eventType: 'installed',
        sharedSecret: 'x'.repeat(32),
        cloudId,
      }),
    );

  it('a site id is kept; anything else is left out without refusing the install', () => {
    expect(payload('c0ffee00-1234-4000-8000-000000000000').cloudId).toBe('c0ffee00-1234-4000-8000-000000000000');
    for (const bad of ['', 'a b', 'x'.repeat(129), "1' OR '1'='1", 42, null, { id: 1 }]) {
      expect(payload(bad).cloudId).toBeUndefined();
    }
  });
});

describe("the install payload's installationId", () => {
  const payload = (installationId: unknown) =>
    parseLifecyclePayload(
      JSON.stringify({
        key: APP_KEY,
        clientKey: 'client-1',
        baseUrl: 'https://site.atlassian.net/wiki',
        eventType: 'installed',
        sharedSecret: 'x'.repeat(32),
        installationId,
      }),
    );

  it('an installation ARI is kept; anything else is left out without refusing the install', () => {
    const ari = 'ari:cloud:ecosystem::installation/0f1e2d3c-4b5a-4987-8654-3210fedcba98';
    expect(payload(ari).installationId).toBe(ari);
    for (const bad of [
      '',
      'installation/1',
      `${ari} `,
      `${ari}x`,
      'ari:cloud:ecosystem::app/0f1e2d3c-4b5a-4987-8654-3210fedcba98',
      42,
      null,
    ]) {
      expect(payload(bad).installationId).toBeUndefined();
    }
  });
});
