import { randomBytes } from 'node:crypto';
import {
  createFetchHandler,
  createInstallKeyFetcher,
  createSecretBox,
  openTenantStore,
  type VerifyForgeInvocationOptions,
} from 'confluence-iframe-kit/server';
import { createInstallKeyPair, createInstallKeyServer, mintInstallToken } from 'confluence-iframe-kit/testing/core';
import { createApp } from './app';
import { APP_KEY } from './descriptor';

export const BASE_URL = 'https://app.example.com';
/** The site that installs the app in the tests (a Connect app on Forge also gets its cloud and installation ids). */
export const SITE = {
  clientKey: 'test-client-key',
  baseUrl: 'https://your-site.atlassian.net/wiki',
  cloudId: 'test-cloud-id',
  installationId: 'ari:cloud:ecosystem::installation/test-installation',
};

/**
 * The backend with an in-memory SQLite store, installed by SITE the way Confluence does it: a signed install whose
 * key comes from a stand-in for Atlassian's key server. Returns the fetch handler, the site's shared secret and close.
 */
export async function installedApp(forge?: VerifyForgeInvocationOptions) {
  const keyPair = await createInstallKeyPair();
  const keyServer = createInstallKeyServer([keyPair]);
  const tenants = await openTenantStore('sqlite::memory:', createSecretBox(randomBytes(32)));
  const handle = createFetchHandler(
    createApp({
      baseUrl: BASE_URL,
      tenants,
      development: false,
      installKeys: createInstallKeyFetcher({ url: keyServer.url, fetch: keyServer.fetch }),
      forge,
      pageHtml: (allJsUrl) => `<script src="${allJsUrl}"></script>`,
    }),
  );
  const sharedSecret = randomBytes(32).toString('hex');
  const body = JSON.stringify({
    key: APP_KEY,
    clientKey: SITE.clientKey,
    sharedSecret,
    baseUrl: SITE.baseUrl,
    cloudId: SITE.cloudId,
    installationId: SITE.installationId,
    productType: 'confluence',
    eventType: 'installed',
  });
  const url = `${BASE_URL}/installed`;
  const token = await mintInstallToken({ keyPair, clientKey: SITE.clientKey, appBaseUrl: BASE_URL, url });
  const headers = { authorization: `JWT ${token}`, 'content-type': 'application/json' };
  const installed = await handle(new Request(url, { method: 'POST', headers, body }));
  if (installed.status !== 204) throw new Error(`the install was refused: ${await installed.text()}`);
  return { handle, sharedSecret, close: () => tenants.close() };
}
