import { getResponse } from 'msw';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import * as atlassianJwt from 'atlassian-jwt';
import { createInstallKeyFetcher, createQueryStringHash } from '../../src/server/index';
import { verifyLifecycleRequest } from '../../src/server/internal/index';
import {
  createInstallKeyPair,
  createInstallKeyServer,
  mintContextToken,
  mintIframeToken,
  mintInstallToken,
  queryStringHash,
} from '../../src/testing/index';

const secret = 'a-shared-secret-of-at-least-32-bytes!!';
const key = () => Uint8Array.from(new TextEncoder().encode(secret));
const APP = 'https://app.example.com/connect';

describe('qsh', () => {
  test.each([
    ['GET', `${APP}/macro?pageId=65537&xdm_e=https%3A%2F%2Fsite.atlassian.net&cp=%2Fwiki`],
    ['GET', `${APP}/?b=2&a=1&a=0&jwt=ignored`],
    ['POST', `${APP}/api/things?q=hello%20world&star=*`],
  ])('Web Crypto qsh equals the server (node:crypto) and atlassian-jwt for %s %s', async (method, url) => {
    const ours = await queryStringHash(method, url, APP);
    expect(ours).toMatch(/^[0-9a-f]{64}$/);
    expect(ours).toBe(createQueryStringHash(method, url, APP));
    expect(ours).toBe(
      atlassianJwt.createQueryStringHash(
        atlassianJwt.fromMethodAndUrl(method, url.slice('https://app.example.com'.length)),
        false,
        '/connect',
      ),
    );
  });
});

describe('minted tokens', () => {
  test('iframe JWT: HS256, iss/aud = clientKey, sub = accountId, qsh of the exact request, context claim', async () => {
    const now = Date.UTC(2026, 3, 1);
    const url = `${APP}/macro?pageId=65537`;
    const token = await mintIframeToken({
      sharedSecret: secret,
      clientKey: 'ck-1',
      accountId: 'acc-1',
      url,
      appBaseUrl: APP,
      context: { confluence: { content: { id: '65537' } } },
      now: () => now,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, key(), {
      algorithms: ['HS256'],
      issuer: 'ck-1',
      audience: 'ck-1',
      subject: 'acc-1',
      currentDate: new Date(now),
    });
    expect(payload.qsh).toBe(createQueryStringHash('GET', url, APP));
    expect(payload.context).toEqual({ confluence: { content: { id: '65537' } } });
    expect(payload.exp! - payload.iat!).toBe(900);
    await expect(
      jwtVerify(token, Uint8Array.from(new TextEncoder().encode('another-secret-of-at-least-32-bytes')), {
        algorithms: ['HS256'],
      }),
    ).rejects.toThrow();
  });

  test('context JWT: qsh is the literal "context-qsh"', async () => {
    const token = await mintContextToken({
      sharedSecret: secret,
      clientKey: 'ck-1',
      accountId: 'acc-2',
      expiresInSeconds: 60,
    });
    const { payload } = await jwtVerify(token, key(), { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ qsh: 'context-qsh', sub: 'acc-2', iss: 'ck-1', context: {} });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  test('signed install JWT verifies with the server lifecycle verifier, fetching the key from the key server', async () => {
    const pair = await createInstallKeyPair();
    const keyServer = createInstallKeyServer([pair]);
    const body = JSON.stringify({
      key: 'demo',
      clientKey: 'ck-9',
      sharedSecret: secret,
      baseUrl: 'https://site.atlassian.net/wiki',
      eventType: 'installed',
      productType: 'confluence',
    });
    const url = `${APP}/installed`;
    const token = await mintInstallToken({ keyPair: pair, clientKey: 'ck-9', appBaseUrl: APP, url });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: pair.kid });
    const request = new Request(url, {
      method: 'POST',
      headers: { Authorization: `JWT ${token}`, 'Content-Type': 'application/json' },
      body,
    });
    const verified = await verifyLifecycleRequest(request, body, {
      event: 'installed',
      appKey: 'demo',
      appBaseUrl: APP,
      installKeys: createInstallKeyFetcher({ url: keyServer.url, fetch: keyServer.fetch }),
      allowedHosts: ['*.atlassian.net'],
    });
    expect(verified.payload.clientKey).toBe('ck-9');
    expect(verified.claims).toMatchObject({ iss: 'ck-9', aud: APP, qsh: createQueryStringHash('POST', url, APP) });
  });

  test('an install token for another lifecycle URL is refused by the verifier (qsh binds the request)', async () => {
    const pair = await createInstallKeyPair('kid-fixed');
    const keyServer = createInstallKeyServer([pair]);
    const body = JSON.stringify({
      clientKey: 'ck-9',
      sharedSecret: secret,
      baseUrl: 'https://site.atlassian.net/wiki',
      eventType: 'installed',
    });
    const token = await mintInstallToken({
      keyPair: pair,
      clientKey: 'ck-9',
      appBaseUrl: APP,
      url: `${APP}/uninstalled`,
    });
    const request = new Request(`${APP}/installed`, {
      method: 'POST',
      headers: { Authorization: `JWT ${token}` },
      body,
    });
    await expect(
      verifyLifecycleRequest(request, body, {
        event: 'installed',
        appKey: 'demo',
        appBaseUrl: APP,
        installKeys: createInstallKeyFetcher({ url: keyServer.url, fetch: keyServer.fetch }),
        allowedHosts: ['*'],
      }),
    ).rejects.toMatchObject({ code: 'QSH_MISMATCH' });
  });

  test('the key server answers 200 PEM for a known kid and 404 otherwise', async () => {
    const pair = await createInstallKeyPair('kid-a');
    const keyServer = createInstallKeyServer([pair], 'http://127.0.0.1:9999/install-keys/');
    const ok = await keyServer.fetch('http://127.0.0.1:9999/install-keys/kid-a');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('-----BEGIN PUBLIC KEY-----');
    expect((await keyServer.fetch('http://127.0.0.1:9999/install-keys/kid-b')).status).toBe(404);
    expect((await keyServer.fetch('http://127.0.0.1:9999/install-keys/kid-a/extra')).status).toBe(404);
  });

  test('ASAP-style kids with "/" are served too, by fetch and by the msw handler', async () => {
    const pair = await createInstallKeyPair('connect-install/key-1');
    const keyServer = createInstallKeyServer([pair], 'http://127.0.0.1:9999/install-keys');
    const key = await createInstallKeyFetcher({ url: keyServer.url, fetch: keyServer.fetch }).getKey(
      'connect-install/key-1',
    );
    expect(key.type).toBe('public');
    const viaMsw = await getResponse(
      keyServer.handlers,
      new Request('http://127.0.0.1:9999/install-keys/connect-install/key-1'),
    );
    expect(viaMsw?.status).toBe(200);
  });
});
