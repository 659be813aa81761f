/**
 * Attack: a FIT from another environment of the same app. DEVELOPMENT and STAGING environments of a Forge app share
 * its app id (`aud`) and Atlassian's signing keys, and anyone who can deploy to them (every developer of the app,
 * with modified code) gets genuine FITs. A production backend verifying against Atlassian's keys accepts only the
 * PRODUCTION environment by default; `environments` pins other ones, and keys of your own (an emulator, a test key
 * server: `jwksUrl` or such a `keySet`) accept every environment unless told otherwise.
 */
import { SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FORGE_JWKS_URLS,
  createConnectApp,
  createFetchHandler,
  createForgeInvocationVerifier,
  createForgeKeySet,
  createForgeRemoteHandler,
  jsonResponse,
  type VerifyForgeInvocationOptions,
} from '../../../src/server/index.js';
import { createForgeKeyPair, type ForgeKeyPair } from '../../../src/testing/tokens/forge.js';
import { memoryStore } from '../helpers/tenant-fixture.js';
import { APP_KEY } from '../helpers/tokens.js';

const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const APP_ARI = `ari:cloud:ecosystem::app/${APP_ID}`;
const OWN_JWKS = 'http://127.0.0.1:9/.well-known/jwks.json';

let key: ForgeKeyPair;
beforeAll(async () => {
  key = await createForgeKeyPair('env-key');
});

/** Atlassian's CDNs (and a key server of our own) with the one key. */
const cdn = (async (input: RequestInfo | URL) =>
  [FORGE_JWKS_URLS.production, FORGE_JWKS_URLS.staging, OWN_JWKS].includes(String(input) as never)
    ? Response.json({ keys: [key.publicJwk] })
    : new Response('no', { status: 404 })) as typeof fetch;

function fitOf(environment: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: 'forge/invocation-token',
    aud: APP_ARI,
    iat,
    exp: iat + 25,
    app: {
      id: APP_ARI,
      installationId: 'ari:cloud:ecosystem::installation/9b1a7c0e-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
      apiBaseUrl: 'https://api.atlassian.com/ex/confluence/cloud-1',
      environment: { type: environment, id: `ari:cloud:ecosystem::environment/${APP_ID}/${environment.toLowerCase()}` },
    },
    context: { cloudId: 'cloud-1' },
    principal: 'user-1',
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
}

const call = (token: string) =>
  new Request('https://remote.example.com/api/items', { headers: { authorization: `Bearer ${token}` } });

async function answers(options: Omit<VerifyForgeInvocationOptions, 'appId'>) {
  const handler = createForgeRemoteHandler({ appId: APP_ID, fetch: cdn, ...options }, () =>
    Response.json({ ok: true }),
  );
  const result: Record<string, string> = {};
  for (const environment of ['PRODUCTION', 'STAGING', 'DEVELOPMENT']) {
    const response = await handler(call(await fitOf(environment)));
    const body = (await response.json()) as { error?: { code: string } };
    result[environment] = `${response.status}${body.error ? ` ${body.error.code}` : ''}`;
  }
  return result;
}

describe('FITs of another environment of the same app', () => {
  it('against Atlassian’s keys, by default only PRODUCTION FITs are accepted (403 for the others)', async () => {
    expect(await answers({})).toEqual({
      PRODUCTION: '200',
      STAGING: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
      DEVELOPMENT: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
    });
    expect(await answers({ keyPlatform: 'staging' })).toMatchObject({
      DEVELOPMENT: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
    });
    // A key set made for Atlassian's URL is Atlassian's keys too.
    expect(await answers({ keySet: createForgeKeySet({ fetch: cdn }) })).toMatchObject({
      DEVELOPMENT: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
    });
  });

  it('`environments` pins the ones a backend serves', async () => {
    expect(await answers({ environments: ['STAGING'] })).toEqual({
      PRODUCTION: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
      STAGING: '200',
      DEVELOPMENT: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
    });
    expect(await answers({ environments: 'any' })).toEqual({ PRODUCTION: '200', STAGING: '200', DEVELOPMENT: '200' });
  });

  it('keys of your own (jwksUrl, or a key set on another URL) accept every environment unless pinned', async () => {
    expect(await answers({ jwksUrl: OWN_JWKS })).toEqual({ PRODUCTION: '200', STAGING: '200', DEVELOPMENT: '200' });
    expect(await answers({ keySet: createForgeKeySet({ url: OWN_JWKS, fetch: cdn }) })).toMatchObject({
      DEVELOPMENT: '200',
    });
    expect(await answers({ jwksUrl: OWN_JWKS, environments: ['PRODUCTION'] })).toMatchObject({
      DEVELOPMENT: '403 FORGE_ENVIRONMENT_NOT_ALLOWED',
    });
  });

  it('createConnectApp: strict by default, every environment with development: true', async () => {
    const store = await memoryStore();
    const answer = async (development: boolean) => {
      const handler = createFetchHandler(
        createConnectApp({
          appKey: APP_KEY,
          baseUrl: 'https://app.example.com',
          tenants: store,
          development,
          forge: { appId: APP_ID, fetch: cdn },
          routes: [{ method: 'GET', path: '/api/items', auth: 'forge', handle: () => jsonResponse(200, {}) }],
        }),
      );
      const response = await handler(
        new Request('https://app.example.com/api/items', {
          headers: { authorization: `Bearer ${await fitOf('DEVELOPMENT')}` },
        }),
      );
      return ((await response.json()) as { error?: { code: string } }).error?.code;
    };
    expect(await answer(false)).toBe('FORGE_ENVIRONMENT_NOT_ALLOWED');
    // Accepted as a token; there is no tenant for its site in this store.
    expect(await answer(true)).toBe('FORGE_SITE_NOT_INSTALLED');
    await store.close();
  });

  it('a malformed `environments` is a configuration error at startup', () => {
    for (const environments of [[], [''], 'ANY', [42]]) {
      expect(() =>
        createForgeInvocationVerifier({ appId: APP_ID, environments: environments as unknown as readonly string[] }),
      ).toThrow(TypeError);
    }
  });
});
