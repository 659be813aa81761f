import { randomBytes } from 'node:crypto';
import { USERS, mintContextToken, mintIframeToken } from 'confluence-iframe-kit/testing/core';
import { APP_KEY } from './descriptor';
import { BASE_URL, SITE, installedApp } from './installed-app.test-support';

let app: Awaited<ReturnType<typeof installedApp>>;
beforeEach(async () => {
  app = await installedApp();
});
afterEach(() => app.close());

test('the descriptor names the app and its macro', async () => {
  const response = await app.handle(new Request(`${BASE_URL}/atlassian-connect.json`));
  const descriptor = await response.json();
  expect(descriptor).toMatchObject({ key: APP_KEY, baseUrl: BASE_URL });
  expect(descriptor.modules.dynamicContentMacros[0].key).toBe('page-macro');
});

test('the macro page opens with the iframe token Confluence puts in its URL', async () => {
  const url = `${BASE_URL}/macro?pageId=65601&spaceKey=ENG`;
  const jwt = await mintIframeToken({
    sharedSecret: app.sharedSecret,
    clientKey: SITE.clientKey,
    accountId: USERS.editor.accountId,
    url,
    appBaseUrl: BASE_URL,
  });
  const response = await app.handle(new Request(`${url}&jwt=${jwt}`));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-security-policy')).toBe('frame-ancestors https://your-site.atlassian.net');
  expect(await response.text()).toContain('https://connect-cdn.atl-paas.net/all.js');
});

test('the UI calls the API with a context token and learns who it is', async () => {
  const token = await mintContextToken({
    sharedSecret: app.sharedSecret,
    clientKey: SITE.clientKey,
    accountId: USERS.editor.accountId,
  });
  const headers = { authorization: `JWT ${token}` };
  const response = await app.handle(new Request(`${BASE_URL}/api/viewer`, { headers }));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ accountId: USERS.editor.accountId, site: SITE.baseUrl, via: 'context' });
});

test('a token signed with another secret is refused with a clear code, and the token is not echoed', async () => {
  const token = await mintContextToken({
    sharedSecret: randomBytes(32).toString('hex'),
    clientKey: SITE.clientKey,
    accountId: USERS.editor.accountId,
  });
  const headers = { authorization: `JWT ${token}` };
  const response = await app.handle(new Request(`${BASE_URL}/api/viewer`, { headers }));
  expect(response.status).toBe(401);
  const text = await response.text();
  expect(JSON.parse(text).error.code).toBe('SIGNATURE_INVALID');
  expect(text).not.toContain(token);
});
