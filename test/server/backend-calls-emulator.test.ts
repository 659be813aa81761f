/**
 * Done-when of issue 18: a test app (node:http and Hono) calls `caller.confluence.asUser()` and `asApp()` under the
 * emulator's REST API over HTTP (its Node half, no browser): the user without product access is refused through
 * asUser() with the `product-access` reason, an editor's write succeeds, the request log shows the authorities, and
 * the same route serves a Forge Remote call with the user token the emulator sends when the remote asks for it.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendCallRecord } from '../../emulator/node/site-rest';
import { PAGES, USERS } from '../../src/testing/core';
import type { TestBackend } from './helpers/backend-app.js';
import { startEmulatedSite, type EmulatedSite } from './helpers/emulated-site.js';
import { mintSymmetric } from './helpers/tokens.js';

describe.each(['node:http', 'hono'] as const)('a backend on %s', (server) => {
  let site: EmulatedSite;
  let backend: TestBackend;
  let log: BackendCallRecord[];
  let emulatorOrigin: string;

  beforeAll(async () => {
    site = await startEmulatedSite(server);
    ({ backend, log, emulatorOrigin } = site);
    expect(site.install).toMatchObject({ ok: true });
  });
  afterAll(() => site?.close());

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
    const authorities = new Set(log.map((record) => record.via));
    expect(authorities).toContain('as app');
    expect(authorities).toContain(`as user ${USERS.noAccess.accountId}`);
    expect(authorities).toContain(`as user ${USERS.editor.accountId}`);
    const write = log.find((record) => record.method === 'PUT');
    expect(write).toMatchObject({ status: 200, via: `as user ${USERS.editor.accountId}` });
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
      expect.objectContaining({ status: 200, via: `as user ${USERS.viewer.accountId}` }),
    ]);
  });

  it('the authorization server refuses an assertion it cannot trust; the REST API a token it did not issue', async () => {
    const tenant = (await backend.store.get('confluence-emulator-local'))!;
    const assertion = (secret: string, iss = `urn:atlassian:connect:clientid:${tenant.oauthClientId}`) =>
      new SignJWT({ tnt: tenant.baseUrl })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(iss)
        .setSubject(`urn:atlassian:connect:useraccountid:${USERS.editor.accountId}`)
        .setAudience(site.emulator.authorizationServerUrl)
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(new TextEncoder().encode(secret));
    const grant = async (token: string) => {
      const response = await fetch(`${site.emulator.authorizationServerUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: token }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await grant(await assertion('not-the-secret'.repeat(3)))).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(
      await grant(await assertion(tenant.sharedSecret, 'urn:atlassian:connect:clientid:someone-else')),
    ).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    const granted = await grant(await assertion(tenant.sharedSecret));
    expect(granted).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 900 } });
    const rest = (authorization: string) =>
      fetch(`${emulatorOrigin}/wiki/api/v2/pages/${PAGES.home}`, { headers: { authorization } }).then((r) => r.status);
    expect(await rest(`Bearer ${String(granted.body.access_token)}`)).toBe(200);
    expect(await rest('Bearer emu_made-up-token')).toBe(401);
  });
});
