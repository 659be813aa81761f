import {
  USERS,
  createForgeJwksServer,
  createForgeKeyPair,
  mintForgeInvocationToken,
} from 'confluence-iframe-kit/testing/core';
import { FORGE_APP_ID } from './forge';
import { BASE_URL, SITE, installedApp } from './installed-app.test-support';

test('a Forge Invocation Token from the Custom UI page reaches the same tenant as the Connect install', async () => {
  // A stand-in for Forge's key set, and a token as Forge would send it to the `connect` remote.
  const keyPair = await createForgeKeyPair();
  const jwks = createForgeJwksServer([keyPair]);
  const app = await installedApp({ appId: FORGE_APP_ID!, jwksUrl: jwks.url, fetch: jwks.fetch });
  try {
    const token = await mintForgeInvocationToken(
      {
        appId: FORGE_APP_ID!,
        accountId: USERS.editor.accountId,
        installationId: SITE.installationId,
        cloudId: SITE.cloudId,
      },
      keyPair,
    );
    const headers = { authorization: `Bearer ${token}` };
    const response = await app.handle(new Request(`${BASE_URL}/api/viewer`, { headers }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accountId: USERS.editor.accountId, site: SITE.baseUrl, via: 'forge' });
  } finally {
    await app.close();
  }
});

test("a token for another Forge app is refused: the backend trusts only this app's tokens", async () => {
  const keyPair = await createForgeKeyPair();
  const jwks = createForgeJwksServer([keyPair]);
  const app = await installedApp({ appId: FORGE_APP_ID!, jwksUrl: jwks.url, fetch: jwks.fetch });
  try {
    const token = await mintForgeInvocationToken({ appId: 'someone-elses-app', cloudId: SITE.cloudId }, keyPair);
    const headers = { authorization: `Bearer ${token}` };
    const response = await app.handle(new Request(`${BASE_URL}/api/viewer`, { headers }));
    expect(response.status).toBe(401);
  } finally {
    await app.close();
  }
});
