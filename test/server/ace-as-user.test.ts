/**
 * A backend on atlassian-connect-express acting as a user (`httpClient.asUserByAccountId`) works under the emulator
 * once its authorization-server URL points there. ACE 11.5 has no setting for that URL: `OAuth2.getAuthorizationServer`
 * picks Atlassian's by the site's host name (a localhost site gets the production server, hence the ENOTFOUND of
 * issue 18), so a development setup replaces that one method. Here ACE's own HostClient (host-request.js) makes the
 * grant and the REST call; the addon around it is reduced to what HostClient reads (settings, config, logger).
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES, USERS } from '../../src/testing/core';
import { startEmulatedSite, type EmulatedSite } from './helpers/emulated-site.js';

const require = createRequire(import.meta.url);

interface AceResponse {
  statusCode: number;
}
type AceCallback = (error: unknown, response: AceResponse, body: unknown) => void;
interface AceHostClient {
  asUserByAccountId(accountId: string): AceHostClient;
  get(options: { url: string; json: boolean }, callback: AceCallback): Promise<unknown>;
}

let site: EmulatedSite;
let aceClient: AceHostClient;
let restoreAuthorizationServer: () => void;

beforeAll(async () => {
  site = await startEmulatedSite('node:http');
  expect(site.install).toMatchObject({ ok: true });
  // The one line a development setup of ACE needs: its authorization server is the emulator's.
  const OAuth2 = require('atlassian-connect-express/lib/internal/oauth2') as {
    prototype: { getAuthorizationServer(baseUrl: string): string };
  };
  const original = OAuth2.prototype.getAuthorizationServer;
  OAuth2.prototype.getAuthorizationServer = () => site.emulator.authorizationServerUrl;
  restoreAuthorizationServer = () => {
    OAuth2.prototype.getAuthorizationServer = original;
  };

  // What ACE's store would hold after the emulator's install: the payload's clientKey, secret, baseUrl, oauthClientId.
  const tenant = (await site.backend.store.get('confluence-emulator-local'))!;
  const settings = new Map<string, unknown>([
    [
      `clientInfo/${tenant.clientKey}`,
      {
        key: 'com.example.backend-calls',
        clientKey: tenant.clientKey,
        sharedSecret: tenant.sharedSecret,
        baseUrl: tenant.baseUrl,
        oauthClientId: tenant.oauthClientId,
      },
    ],
  ]);
  const addon = {
    key: 'com.example.backend-calls',
    logger: { info() {}, warn() {}, error() {} },
    config: {
      product: () => ({ id: 'confluence', isConfluence: true, isJIRA: false }),
      userAgent: () => 'atlassian-connect-express test',
      jwt: () => ({ validityInMinutes: 3 }),
    },
    settings: {
      get: (key: string, clientKey: string) => Promise.resolve(settings.get(`${key}/${clientKey}`)),
      set: (key: string, value: unknown, clientKey: string) => {
        settings.set(`${key}/${clientKey}`, value);
        return Promise.resolve(value);
      },
    },
  };
  const HostClient = require('atlassian-connect-express/lib/internal/host-request') as new (
    addon: unknown,
    context: unknown,
    clientKey: string,
  ) => AceHostClient;
  aceClient = new HostClient(addon, {}, tenant.clientKey);
});
afterAll(async () => {
  restoreAuthorizationServer?.();
  await site?.close();
});

function get(client: AceHostClient, url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    client
      .get({ url, json: true }, (error, response, body) =>
        error ? reject(error as Error) : resolve({ status: response.statusCode, body }),
      )
      .catch(reject);
  });
}

describe('atlassian-connect-express asUserByAccountId under the emulator', () => {
  it("reads as the user, with the user's permissions, and the request log says so", async () => {
    const editor = await get(aceClient.asUserByAccountId(USERS.editor.accountId), `/api/v2/pages/${PAGES.home}`);
    expect(editor).toMatchObject({ status: 200, body: { id: PAGES.home } });
    const noAccess = await get(aceClient.asUserByAccountId(USERS.noAccess.accountId), `/api/v2/pages/${PAGES.home}`);
    expect(noAccess.status).toBe(403);
    expect(site.log.map((record) => record.via)).toEqual([
      `as user ${USERS.editor.accountId}`,
      `as user ${USERS.noAccess.accountId}`,
    ]);
  });

  it('reads as the app with ACE’s own JWT (qsh over the request) too', async () => {
    const asApp = await get(aceClient, `/api/v2/pages/${PAGES.securityIncidents}`);
    expect(asApp).toMatchObject({ status: 200, body: { id: PAGES.securityIncidents } });
    expect(site.log.at(-1)).toMatchObject({ via: 'as app' });
  });
});
