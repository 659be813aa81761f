/**
 * Done-when of issue 18: a test app (node:http and Hono) calls `caller.confluence.asUser()` and `asApp()` under the
 * emulator's REST API over HTTP (its Node half, no browser): the user without product access is refused through
 * asUser() with the `product-access` reason, an editor's write succeeds, the request log shows the authorities, and
 * the same route serves a Forge Remote call with the user token the emulator sends when the remote asks for it.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorBackend, type EmulatorBackend } from '../../emulator/node/emulator-api';
import type { ForgeManifest } from '../../emulator/node/forge-manifest';
import { freePort } from '../../emulator/node/ports';
import type { BackendCallRecord } from '../../emulator/node/site-rest';
import { PAGES, USERS } from '../../src/testing/core';
import { startTestBackend, type TestBackend } from './helpers/backend-app.js';
import { mintSymmetric } from './helpers/tokens.js';

const FORGE_APP_ID = 'ari:cloud:ecosystem::app/7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe.each(['node:http', 'hono'] as const)('a backend on %s', (server) => {
  let emulatorHttp: Server;
  let emulator: EmulatorBackend;
  let emulatorOrigin: string;
  let backend: TestBackend;
  const log: BackendCallRecord[] = [];

  beforeAll(async () => {
    const port = await freePort();
    emulatorOrigin = `http://localhost:${port}`;
    const manifest: ForgeManifest = {
      appId: FORGE_APP_ID,
      resources: new Map(),
      modules: [],
      remotes: new Map([['backend', 'http://placeholder.invalid']]),
      remoteTokens: new Map([['backend', { appUserToken: true, appSystemToken: true }]]),
      moduleRemotes: new Map(),
      scopes: ['READ', 'WRITE'],
      contentSecurityPolicy: '',
    };
    let descriptorUrl = '';
    emulator = await createEmulatorBackend({
      emulatorOrigin,
      get descriptorUrl() {
        return descriptorUrl;
      },
      forge: { customUiBaseUrl: 'http://localhost:1', manifest },
      onBackendCall: (record) => {
        if (record.status !== 'pending') log.push(record);
      },
    });
    backend = await startTestBackend(server, {
      installKeysUrl: emulator.installKeysUrl,
      authorizationServerUrl: emulator.authorizationServerUrl,
      forge: emulator.forge!,
    });
    descriptorUrl = `${backend.url}/atlassian-connect.json`;
    manifest.remotes.set('backend', backend.url);
    emulatorHttp = createServer((req, res) =>
      emulator.middleware(req, res, () => {
        res.statusCode = 404;
        res.end();
      }),
    );
    await new Promise<void>((resolve) => emulatorHttp.listen(port, 'localhost', resolve));
    const install = await emulator.ensureInstalled();
    expect(install).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    emulatorHttp?.closeAllConnections();
    await new Promise<void>((resolve) => (emulatorHttp ? emulatorHttp.close(() => resolve()) : resolve()));
    await backend?.close();
  });

  /** A context token for `accountId`, as the Connect frontend would send it (signed with the installed secret). */
  async function contextToken(accountId: string): Promise<string> {
    const tenant = await backend.store.get('confluence-emulator-local');
    return mintSymmetric({
      clientKey: tenant!.clientKey,
      sharedSecret: tenant!.sharedSecret,
      qsh: 'context',
      sub: accountId,
    });
  }

  async function call(path: string, accountId: string, init: RequestInit = {}) {
    const response = await fetch(backend.url + path, {
      ...init,
      headers: { authorization: `JWT ${await contextToken(accountId)}`, ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('stores the oauthClientId the install payload carried', async () => {
    expect((await backend.store.get('confluence-emulator-local'))?.oauthClientId).toMatch(/^emulator-/);
  });

  it('refuses the user without product access through asUser() with the product-access reason', async () => {
    const { status, body } = await call(`/api/pages/${PAGES.home}`, USERS.noAccess.accountId);
    expect({ status, body }).toEqual({ status: 403, body: { kind: 'forbidden', reason: 'product-access' } });
  });

  it("lets an editor's write through asUser(), with the editor's permissions", async () => {
    const written = await call(`/api/pages/${PAGES.gettingStarted}/title`, USERS.editor.accountId, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Getting started (${server})` }),
    });
    expect(written).toMatchObject({ status: 200, body: { title: `Getting started (${server})` } });
    // The viewer may read but not edit: the same route, refused with the viewer's own permissions (the site answers
    // a v2 write the user may not make as it answers it to the browser).
    const viewer = await call(`/api/pages/${PAGES.gettingStarted}/title`, USERS.viewer.accountId, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Not mine to change' }),
    });
    expect(viewer.status).not.toBe(200);
    expect(['forbidden', 'not-found']).toContain(viewer.body.kind);
  });

  it('reads as the app with asApp(): a page the viewer may not see is visible to the app', async () => {
    const asUser = await call(`/api/pages/${PAGES.securityIncidents}`, USERS.viewer.accountId);
    expect(asUser.status).toBe(404);
    const asApp = await call(`/api/app/pages/${PAGES.securityIncidents}`, USERS.viewer.accountId);
    expect(asApp).toMatchObject({ status: 200, body: { id: PAGES.securityIncidents } });
  });

  it('shows the authority of each backend call in the request log', () => {
    const authorities = new Set(log.map((record) => record.authority));
    expect(authorities).toContain('as app');
    expect(authorities).toContain(`as user ${USERS.noAccess.accountId}`);
    expect(authorities).toContain(`as user ${USERS.editor.accountId}`);
    const write = log.find((record) => record.method === 'PUT');
    expect(write).toMatchObject({ status: 200, authority: `as user ${USERS.editor.accountId}` });
  });

  it('refuses a grant for a user the site does not know, as Atlassian does', async () => {
    const { status, body } = await call(`/api/pages/${PAGES.home}`, '5b10ac8d82e05b22cc7d4ef5');
    expect({ status, body }).toEqual({ status: 400, body: { kind: 'unauthorized', reason: null } });
  });

  it('serves a Forge Remote call on the same route with the x-forge-oauth-user token', async () => {
    const before = log.length;
    const response = await fetch(`${emulatorOrigin}/__emulator/forge/invoke-remote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: USERS.viewer.accountId,
        moduleKey: 'forge-macro',
        path: `/api/pages/${PAGES.home}`,
        method: 'GET',
        context: { pageId: PAGES.home },
      }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { status: number; body: unknown };
    expect(answer).toMatchObject({ status: 200, body: { id: PAGES.home, host: 'forge' } });
    expect(log.slice(before)).toEqual([
      expect.objectContaining({ status: 200, authority: `as user ${USERS.viewer.accountId}` }),
    ]);
  });
});
