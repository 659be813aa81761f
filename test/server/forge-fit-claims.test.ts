import { SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORGE_JWKS_URLS } from '../../src/server/forge/constants.js';
import { createForgeRemoteHandler } from '../../src/server/forge/handler.js';
import type { ForgeInvocation } from '../../src/server/forge/invocation.js';
import {
  createForgeInvocationVerifier,
  type VerifyForgeInvocationOptions,
} from '../../src/server/forge/verify-forge-invocation.js';
import { createForgeKeyPair, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';

/**
 * What a FIT's claims may and may not decide: `icLabel` is checked before anything reads it, the key set comes
 * from configuration only, and an expired (but genuine) FIT has its own code so a frontend can retry once.
 */

const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const APP_ARI = `ari:cloud:ecosystem::app/${APP_ID}`;
const DEV_JWKS = 'http://127.0.0.1:9/.well-known/jwks.json';
const nowSec = () => Math.floor(Date.now() / 1000);

let productionKey: ForgeKeyPair;
let stagingKey: ForgeKeyPair;
let attackerKey: ForgeKeyPair;

beforeAll(async () => {
  productionKey = await createForgeKeyPair('fit-prod-key');
  stagingKey = await createForgeKeyPair('fit-stg-key');
  attackerKey = await createForgeKeyPair('fit-prod-key');
});

/** An in-memory CDN: one key set per URL, and every URL asked for recorded. */
function cdn(setsByUrl: Record<string, ForgeKeyPair[]>) {
  const requested: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requested.push(url);
    const keys = setsByUrl[url];
    if (!keys) return new Response('not found', { status: 404 });
    return Response.json({ keys: keys.map((key) => key.publicJwk) });
  }) as typeof globalThis.fetch;
  return { fetch, requested };
}

function claims(changes: Record<string, unknown> = {}): JWTPayload {
  const iat = nowSec();
  const payload: Record<string, unknown> = {
    iss: 'forge/invocation-token',
    aud: APP_ARI,
    iat,
    exp: iat + 25,
    app: {
      id: APP_ARI,
      installationId: 'ari:cloud:ecosystem::installation/inst-1',
      apiBaseUrl: 'https://api.atlassian.com/ex/confluence/cloud-1',
      environment: { type: 'PRODUCTION' },
      installation: { contexts: [{ cloudId: 'cloud-1' }] },
    },
    context: { cloudId: 'cloud-1' },
    principal: 'user-1',
    ...changes,
  };
  for (const [name, value] of Object.entries(payload)) if (value === null) delete payload[name];
  return payload;
}

const sign = (payload: JWTPayload, key: ForgeKeyPair = productionKey) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

function handler(options: Partial<VerifyForgeInvocationOptions> & { fetch: typeof fetch }) {
  return createForgeRemoteHandler({ appId: APP_ID, ...options }, (_request, invocation) => Response.json(invocation));
}

const call = (token: string) =>
  new Request('https://remote.example.com/api/items', { headers: { authorization: `Bearer ${token}` } });

async function refusal(response: Response) {
  return { status: response.status, text: await response.text() };
}

describe('icLabel is checked before it is used for anything', () => {
  it.each([
    ['a path', '../../evil'],
    ['upper case', 'EU'],
    ['a dot (a host name)', 'evil.example'],
    ['empty', ''],
    ['51 characters', 'a'.repeat(51)],
    ['a number', 7],
    ['an object', { label: 'eu' }],
    ['a URL', 'https://attacker.example/jwks.json'],
  ])('%s is refused with TOKEN_MALFORMED and costs no key fetch beyond the configured set', async (_name, icLabel) => {
    const { fetch, requested } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const token = await sign(claims({ icLabel }));
    const { status, text } = await refusal(await handler({ fetch })(call(token)));
    expect(status).toBe(401);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'TOKEN_MALFORMED', message: "The token's icLabel claim is invalid." },
    });
    expect(requested.every((url) => url === FORGE_JWKS_URLS.production)).toBe(true);
  });

  it('a well-formed icLabel passes and is handed to the route', async () => {
    const { fetch } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const response = await handler({ fetch })(call(await sign(claims({ icLabel: 'fedramp_moderate-1' }))));
    expect(response.status).toBe(200);
    expect(((await response.json()) as ForgeInvocation).icLabel).toBe('fedramp_moderate-1');
  });
});

describe('the key set is chosen by configuration, never by a claim', () => {
  it('a token claiming a staging apiBaseUrl (and an icLabel) is still checked against the production keys only', async () => {
    const { fetch, requested } = cdn({
      [FORGE_JWKS_URLS.production]: [productionKey],
      [FORGE_JWKS_URLS.staging]: [stagingKey],
    });
    const stagingClaims = claims({
      icLabel: 'stg',
      app: {
        ...(claims().app as object),
        apiBaseUrl: 'https://api.stg.atlassian.com/ex/confluence/cloud-1',
        environment: { type: 'STAGING' },
      },
    });
    // Signed with the staging platform's key: the production set has no such kid, so it is refused.
    const refused = await refusal(await handler({ fetch })(call(await sign(stagingClaims, stagingKey))));
    expect([refused.status, JSON.parse(refused.text).error.code]).toEqual([401, 'KEY_NOT_FOUND']);
    expect(requested).not.toContain(FORGE_JWKS_URLS.staging);
    expect(new Set(requested)).toEqual(new Set([FORGE_JWKS_URLS.production]));
  });

  it('keyPlatform: "staging" verifies with the staging CDN, and then a production-signed token is not accepted', async () => {
    const { fetch, requested } = cdn({
      [FORGE_JWKS_URLS.production]: [productionKey],
      [FORGE_JWKS_URLS.staging]: [stagingKey],
    });
    const staging = handler({ fetch, keyPlatform: 'staging' });
    expect((await staging(call(await sign(claims(), stagingKey)))).status).toBe(200);
    const production = await refusal(await staging(call(await sign(claims(), productionKey))));
    expect([production.status, JSON.parse(production.text).error.code]).toEqual([401, 'KEY_NOT_FOUND']);
    expect(new Set(requested)).toEqual(new Set([FORGE_JWKS_URLS.staging]));
  });

  it('jwksUrl (an emulator or a test key server) is used as given', async () => {
    const { fetch, requested } = cdn({ [DEV_JWKS]: [productionKey] });
    expect((await handler({ fetch, jwksUrl: DEV_JWKS })(call(await sign(claims())))).status).toBe(200);
    expect(requested).toEqual([DEV_JWKS]);
  });

  it('jwksUrl together with keyPlatform, or an unknown platform, is a configuration error at startup', () => {
    expect(() => createForgeInvocationVerifier({ appId: APP_ID, jwksUrl: DEV_JWKS, keyPlatform: 'staging' })).toThrow(
      TypeError,
    );
    expect(() =>
      createForgeInvocationVerifier({ appId: APP_ID, keyPlatform: 'toString' as unknown as 'production' }),
    ).toThrow(TypeError);
  });
});

describe('an expired FIT', () => {
  it('answers 401 FORGE_TOKEN_EXPIRED in the refusal body shape, without the token', async () => {
    const { fetch } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const iat = nowSec() - 600;
    const token = await sign(claims({ iat, exp: iat + 25 }));
    const response = await handler({ fetch })(call(token));
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="forge-remote"/);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe('FORGE_TOKEN_EXPIRED');
    for (const part of token.split('.')) expect(text).not.toContain(part);
  });

  it('expired beyond the clock tolerance only, on our own clock check as well as jose’s', async () => {
    const { fetch } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const iat = nowSec() - 100;
    const justExpired = await sign(claims({ iat, exp: nowSec() - 5 }));
    expect((await handler({ fetch, clockToleranceSec: 0 })(call(justExpired))).status).toBe(401);
    expect((await handler({ fetch, clockToleranceSec: 30 })(call(justExpired))).status).toBe(200);
    const verify = createForgeInvocationVerifier({ appId: APP_ID, fetch, clockToleranceSec: 0 });
    await expect(verify(call(justExpired))).rejects.toMatchObject({ code: 'FORGE_TOKEN_EXPIRED', status: 401 });
  });

  it('signed with another key is SIGNATURE_INVALID, not FORGE_TOKEN_EXPIRED: the retry hint needs a genuine token', async () => {
    const { fetch } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const iat = nowSec() - 600;
    const forged = await sign(claims({ iat, exp: iat + 25 }), attackerKey);
    const { status, text } = await refusal(await handler({ fetch })(call(forged)));
    expect([status, JSON.parse(text).error.code]).toEqual([401, 'SIGNATURE_INVALID']);
  });
});

describe('the site of a FIT', () => {
  it('comes from context.cloudId, or from the one installation context when the call has none', async () => {
    const { fetch } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const appOnly = await sign(claims({ context: null, principal: null }));
    const invocation = (await (await handler({ fetch })(call(appOnly))).json()) as ForgeInvocation;
    expect([invocation.cloudId, invocation.installationCloudIds]).toEqual(['cloud-1', ['cloud-1']]);
  });

  it.each([
    ['a context site the installation does not list', { context: { cloudId: 'cloud-2' } }],
    [
      'a non-array installation context list',
      { app: { ...(claims().app as object), installation: { contexts: 'x' } } },
    ],
    [
      'a cloudId with a control character',
      { context: { cloudId: 'cloud\n1' }, app: { ...(claims().app as object), installation: undefined } },
    ],
  ])('%s is refused (TOKEN_MALFORMED)', async (_name, changes) => {
    const { fetch } = cdn({ [FORGE_JWKS_URLS.production]: [productionKey] });
    const { status, text } = await refusal(await handler({ fetch })(call(await sign(claims(changes)))));
    expect([status, JSON.parse(text).error.code]).toEqual([401, 'TOKEN_MALFORMED']);
  });
});
