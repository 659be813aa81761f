import { SignJWT, exportSPKI, type JWTPayload } from 'jose';
import { KeyObject, createHmac, createSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireForgeInvocation } from '../../src/server/adapters/forge-middleware.js';
import { createForgeRemoteHandler } from '../../src/server/forge/handler.js';
import type { ForgeInvocation } from '../../src/server/forge/invocation.js';
import { createForgeKeySet, type ForgeKeySet } from '../../src/server/forge/key-set.js';
import {
  createForgeInvocationVerifier,
  verifyForgeInvocation,
} from '../../src/server/forge/verify-forge-invocation.js';
import { createForgeKeyPair, mintForgeInvocationToken, type ForgeKeyPair } from '../../src/testing/tokens/forge.js';
import { createForgeJwksServer } from '../../src/testing/tokens/forge-jwks-server.js';

const APP_ID = '3c4d9a7e-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const APP_ARI = `ari:cloud:ecosystem::app/${APP_ID}`;
const OTHER_APP_ARI = 'ari:cloud:ecosystem::app/99999999-1b2f-4c5d-8e9f-0a1b2c3d4e5f';
const REMOTE = 'https://remote.example.com';
const nowSec = () => Math.floor(Date.now() / 1000);

type JwksMode = 'ok' | 'down' | 'slow' | 'garbage' | 'symmetric-only';

/** A real HTTP stand-in for forge.cdn.prod.atlassian-dev.net on 127.0.0.1, switchable into outage modes. */
interface LocalJwks {
  url: string;
  mode: JwksMode;
  hits: number;
  paths: string[];
  keys: ForgeKeyPair[];
  close(): Promise<void>;
}

async function startJwks(keys: ForgeKeyPair[]): Promise<LocalJwks> {
  const state: LocalJwks = { url: '', mode: 'ok', hits: 0, paths: [], keys, close: async () => {} };
  const server: Server = createServer((req, res) => {
    state.hits++;
    state.paths.push(req.url ?? '');
    if (state.mode === 'down') return void res.writeHead(503).end('unavailable');
    if (state.mode === 'slow') return; // never answers
    if (state.mode === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>');
    if (state.mode === 'symmetric-only') {
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [{ kty: 'oct', kid: 'k', k: 'c2VjcmV0' }] }));
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: state.keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

let forgeKey: ForgeKeyPair;
let attackerKey: ForgeKeyPair;
let jwks: LocalJwks;
let keySet: ForgeKeySet;

beforeAll(async () => {
  forgeKey = await createForgeKeyPair('forge-fit-key-1');
  attackerKey = await createForgeKeyPair('forge-fit-key-1'); // same kid, different key
  jwks = await startJwks([forgeKey]);
});
afterAll(() => jwks.close());
afterEach(() => {
  jwks.mode = 'ok';
  jwks.hits = 0;
  jwks.paths = [];
  jwks.keys = [forgeKey];
});

/** A fresh key cache per test, so one test's fetched JWKS never makes another pass. */
function freshKeySet(options: Parameters<typeof createForgeKeySet>[0] = {}): ForgeKeySet {
  keySet = createForgeKeySet({ url: jwks.url, timeoutMs: 500, ...options });
  return keySet;
}

function handler(keys: ForgeKeySet = freshKeySet()) {
  return createForgeRemoteHandler({ appId: APP_ID, keySet: keys }, (_request, invocation) => Response.json(invocation));
}

const valid = (overrides: Partial<Parameters<typeof mintForgeInvocationToken>[0]> = {}) =>
  mintForgeInvocationToken(
    {
      appId: APP_ID,
      accountId: 'user-123',
      installationId: 'ari:cloud:ecosystem::installation/inst-1',
      cloudId: 'cloud-1',
      ...overrides,
    },
    forgeKey,
  );

function baseClaims(): JWTPayload {
  const iat = nowSec();
  return {
    iss: 'forge/invocation-token',
    aud: APP_ARI,
    iat,
    nbf: iat,
    exp: iat + 300,
    jti: 'jti-1',
    app: {
      id: APP_ARI,
      installationId: 'ari:cloud:ecosystem::installation/inst-1',
      apiBaseUrl: 'https://api.atlassian.com/ex/confluence/cloud-1',
      environment: { type: 'PRODUCTION', id: 'env-1' },
      module: { key: 'macro', type: 'confluence:macro' },
    },
    context: { cloudId: 'cloud-1' },
    principal: 'user-123',
  };
}

/** Signs arbitrary claims (null deletes one) with any key and header; the hostile-token builder. */
async function sign(
  changes: Record<string, unknown> = {},
  { key = forgeKey, header = {} }: { key?: ForgeKeyPair; header?: Record<string, unknown> } = {},
): Promise<string> {
  const payload: Record<string, unknown> = { ...baseClaims(), ...changes };
  for (const [name, value] of Object.entries(payload)) if (value === null) delete payload[name];
  const protectedHeader = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header } as { alg: string; kid?: string };
  if (protectedHeader.kid === null) delete protectedHeader.kid;
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function call(token: string | undefined, init: { path?: string; headers?: Record<string, string> } = {}): Request {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  return new Request(REMOTE + (init.path ?? '/api/items'), { headers });
}

async function expectRefused(response: Response, status: number, code: string, token?: string): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="forge-remote"/);
  if (status === 503) expect(response.headers.get('retry-after')).toBe('5');
  if (token) {
    const [head, payload, signature] = token.split('.');
    expect(text).not.toContain(token);
    for (const part of [head, payload, signature]) if (part && part.length > 8) expect(text).not.toContain(part);
  }
}

describe('a valid Forge Invocation Token', () => {
  it('is accepted by the fetch handler, which hands the route the verified invocation and the OAuth tokens', async () => {
    const token = await valid();
    const response = await handler()(
      call(token, { headers: { 'x-forge-oauth-system': 'sys-token', 'x-forge-oauth-user': 'user-token' } }),
    );
    expect(response.status).toBe(200);
    const invocation = (await response.json()) as ForgeInvocation;
    expect(invocation).toMatchObject({
      appId: APP_ID,
      installationId: 'ari:cloud:ecosystem::installation/inst-1',
      cloudId: 'cloud-1',
      accountId: 'user-123',
      environment: { type: 'DEVELOPMENT' },
      apiBaseUrl: 'https://api.atlassian.com/ex/confluence/cloud-1',
      module: { key: 'confluence-macro', type: 'confluence:macro' },
      appSystemToken: 'sys-token',
      appUserToken: 'user-token',
    });
    expect(invocation.claims.aud).toBe(APP_ARI);
    expect(jwks.hits).toBe(1);
  });

  it('is accepted over real HTTP through the node:http / Express middleware', async () => {
    const guard = requireForgeInvocation({ appId: APP_ARI, keySet: freshKeySet() });
    const server = createServer((req, res) =>
      guard(req, res as never, (error) => {
        if (error) return void res.writeHead(500).end();
        const forge = (res as unknown as { locals: { forge: ForgeInvocation } }).locals.forge;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ who: forge.accountId, inst: forge.installationId }));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ok = await fetch(`${base}/api/items?x=1`, { headers: { authorization: `Bearer ${await valid()}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ who: 'user-123', inst: 'ari:cloud:ecosystem::installation/inst-1' });
      const forged = await sign({}, { key: attackerKey });
      await expectRefused(
        await fetch(`${base}/api/items`, { headers: { authorization: `Bearer ${forged}` } }),
        401,
        'SIGNATURE_INVALID',
        forged,
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('without a principal (an app-only invocation) has no accountId and no OAuth tokens', async () => {
    const response = await handler()(call(await valid({ accountId: null })));
    const invocation = (await response.json()) as ForgeInvocation;
    expect(response.status).toBe(200);
    expect(invocation.accountId).toBeUndefined();
    expect(invocation.appSystemToken).toBeUndefined();
  });

  it('verifyForgeInvocation per request fetches the JWKS once for the same URL and fetch', async () => {
    const counting: typeof fetch = (input, init) => fetch(input, init);
    for (let i = 0; i < 3; i++) {
      const invocation = await verifyForgeInvocation(call(await valid()), {
        appId: APP_ID,
        jwksUrl: jwks.url,
        fetch: counting,
      });
      expect(invocation.appId).toBe(APP_ID);
    }
    expect(jwks.hits).toBe(1);
  });

  it('is accepted within the clock tolerance after exp, and refused beyond it', async () => {
    const iat = nowSec() - 200;
    const justExpired = await sign({ iat, nbf: iat, exp: nowSec() - 10 });
    expect((await handler()(call(justExpired))).status).toBe(200);
    const expired = await sign({ iat, nbf: iat, exp: nowSec() - 60 });
    await expectRefused(await handler()(call(expired)), 401, 'FORGE_TOKEN_EXPIRED', expired);
  });
});

describe('attacks on the token (reference §d, asymmetric)', () => {
  it('alg none is refused before any key lookup', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: forgeKey.kid })}.${b64(baseClaims())}.`;
    await expectRefused(await handler()(call(token)), 401, 'ALG_NOT_ALLOWED', token);
    expect(jwks.hits).toBe(0);
  });

  it('HS256 signed with the Forge public key (algorithm confusion) is refused', async () => {
    const pem = await exportSPKI(forgeKey.publicKey);
    for (const secret of [pem, JSON.stringify(forgeKey.publicJwk), String(forgeKey.publicJwk.n)]) {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: forgeKey.kid })}.${b64(baseClaims())}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      await expectRefused(await handler()(call(token)), 401, 'ALG_NOT_ALLOWED', token);
    }
    expect(jwks.hits).toBe(0);
  });

  it('a token signed with another key under the real kid is refused', async () => {
    const token = await sign({}, { key: attackerKey });
    await expectRefused(await handler()(call(token)), 401, 'SIGNATURE_INVALID', token);
  });

  it('an attacker key embedded in the header (jwk / jku / x5u) is never used', async () => {
    const token = await sign(
      {},
      {
        key: attackerKey,
        header: { jwk: attackerKey.publicJwk, jku: 'https://evil.example/jwks.json', x5u: 'https://evil.example/cert' },
      },
    );
    await expectRefused(await handler()(call(token)), 401, 'SIGNATURE_INVALID', token);
    expect(jwks.paths.every((p) => p === '/.well-known/jwks.json')).toBe(true);
  });

  it('a tampered payload under a valid signature is refused', async () => {
    const [head, , signature] = (await valid()).split('.');
    const token = `${head}.${b64({ ...baseClaims(), principal: 'admin-account' })}.${signature}`;
    await expectRefused(await handler()(call(token)), 401, 'SIGNATURE_INVALID', token);
  });

  it.each([
    ['a wrong aud', { aud: 'https://remote.example.com' }, 'AUDIENCE_MISMATCH'],
    ["another app's aud", { aud: OTHER_APP_ARI }, 'AUDIENCE_MISMATCH'],
    ['an aud array that includes this app', { aud: [APP_ARI, OTHER_APP_ARI] }, 'AUDIENCE_MISMATCH'],
    ['the bare app id as aud', { aud: APP_ID }, 'AUDIENCE_MISMATCH'],
    ['no aud', { aud: null }, 'CLAIM_MISSING'],
    [
      "our aud but another app's app.id",
      { app: { ...(baseClaims().app as object), id: OTHER_APP_ARI } },
      'AUDIENCE_MISMATCH',
    ],
    ['a wrong iss', { iss: 'https://evil.example' }, 'ISSUER_MISMATCH'],
    ['no iss', { iss: null }, 'CLAIM_MISSING'],
    ['no exp', { exp: null }, 'CLAIM_MISSING'],
    ['no iat', { iat: null }, 'CLAIM_MISSING'],
    [
      'an iat beyond the tolerance in the future',
      { iat: nowSec() + 120, nbf: null, exp: nowSec() + 400 },
      'TOKEN_NOT_YET_VALID',
    ],
    ['an nbf beyond the tolerance in the future', { nbf: nowSec() + 120 }, 'TOKEN_NOT_YET_VALID'],
    ['a lifetime of two days', { exp: nowSec() + 2 * 86_400 }, 'LIFETIME_TOO_LONG'],
    ['a string exp', { exp: 'tomorrow' }, 'TOKEN_MALFORMED'],
    ['no app claim', { app: null }, 'CLAIM_MISSING'],
    ['no app.installationId', { app: { ...(baseClaims().app as object), installationId: undefined } }, 'CLAIM_MISSING'],
    [
      'an http apiBaseUrl (tokens would leave over plain HTTP)',
      { app: { ...(baseClaims().app as object), apiBaseUrl: 'http://api.example' } },
      'TOKEN_MALFORMED',
    ],
    ['no app.environment', { app: { ...(baseClaims().app as object), environment: undefined } }, 'CLAIM_MISSING'],
    ['a non-string principal', { principal: { accountId: 'x' } }, 'TOKEN_MALFORMED'],
  ])('%s is refused', async (_name, changes, code) => {
    const token = await sign(changes as Record<string, unknown>);
    await expectRefused(await handler()(call(token)), 401, code, token);
  });

  it('the clock tolerance is bounded: more than 300 s is a configuration error', () => {
    expect(() => createForgeInvocationVerifier({ appId: APP_ID, clockToleranceSec: 3600 })).toThrow(RangeError);
    expect(() => createForgeInvocationVerifier({ appId: APP_ID, clockToleranceSec: -1 })).toThrow(RangeError);
    expect(() => createForgeInvocationVerifier({ appId: '' })).toThrow(TypeError);
    expect(() => createForgeInvocationVerifier({ appId: `${APP_ID}/../other` })).toThrow(TypeError);
  });

  it('an unknown kid is KEY_NOT_FOUND; a missing kid is KID_INVALID', async () => {
    const unknown = await sign({}, { header: { kid: 'not-a-forge-key' } });
    await expectRefused(await handler()(call(unknown)), 401, 'KEY_NOT_FOUND', unknown);
    const none = await sign({}, { header: { kid: null } });
    await expectRefused(await handler()(call(none)), 401, 'KID_INVALID', none);
  });

  it.each(['../../../etc/passwd', '..', 'a/../b', 'key?x=1', 'key#frag', 'k\\ey', 'k'.repeat(300), 'key%2F..'])(
    'kid %j is refused without reaching the key server',
    async (kid) => {
      const token = await sign({}, { header: { kid } });
      await expectRefused(await handler()(call(token)), 401, 'KID_INVALID', token);
      expect(jwks.hits).toBe(0);
    },
  );

  it('random kids cannot turn requests into JWKS fetches (one refetch per cooldown)', async () => {
    const h = handler();
    expect((await h(call(await valid()))).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      const token = await sign({}, { header: { kid: `random-${i}` } });
      await expectRefused(await h(call(token)), 401, 'KEY_NOT_FOUND', token);
    }
    expect(jwks.hits).toBe(1);
  });

  it('a rotated key is picked up once the cooldown has passed', async () => {
    let clock = Date.now();
    const h = handler(freshKeySet({ now: () => clock, cooldownMs: 30_000 }));
    expect((await h(call(await valid()))).status).toBe(200);
    const next = await createForgeKeyPair('forge-fit-key-2');
    jwks.keys = [forgeKey, next];
    const rotated = await mintForgeInvocationToken({ appId: APP_ID }, next);
    await expectRefused(await h(call(rotated)), 401, 'KEY_NOT_FOUND', rotated);
    clock += 31_000;
    expect((await h(call(rotated))).status).toBe(200);
    expect(jwks.hits).toBe(2);
  });
});

describe('the Forge key server', () => {
  it('down: 503 KEY_UNAVAILABLE, remembered only for the Retry-After it announces, then the next request passes', async () => {
    let clock = Date.now();
    const h = handler(freshKeySet({ now: () => clock }));
    jwks.mode = 'down';
    const token = await valid();
    await expectRefused(await h(call(token)), 503, 'KEY_UNAVAILABLE', token);
    await expectRefused(await h(call(token)), 503, 'KEY_UNAVAILABLE', token); // no second fetch right behind the first
    expect(jwks.hits).toBe(1);
    jwks.mode = 'ok';
    clock += 5_000;
    expect((await h(call(token))).status).toBe(200);
    expect(jwks.hits).toBe(2);
  });

  it('not answering: 503 within the fetch timeout', async () => {
    const h = handler(freshKeySet({ timeoutMs: 200 }));
    jwks.mode = 'slow';
    const started = Date.now();
    await expectRefused(await h(call(await valid())), 503, 'KEY_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each(['garbage', 'symmetric-only'] as const)('answering %s: 503, not a 500 and not a pass', async (mode) => {
    jwks.mode = mode;
    await expectRefused(await handler()(call(await valid())), 503, 'KEY_UNAVAILABLE');
  });

  it('unreachable (connection refused): 503', async () => {
    const dead = createForgeKeySet({ url: 'http://127.0.0.1:9/.well-known/jwks.json', timeoutMs: 500 });
    await expectRefused(await handler(dead)(call(await valid())), 503, 'KEY_UNAVAILABLE');
  });

  it('down after the cache expired: keys fetched within the stale window still verify, unknown kids get 503', async () => {
    let clock = Date.now();
    const h = handler(freshKeySet({ now: () => clock, cacheMaxAgeMs: 60_000, maxStaleMs: 60_000 }));
    expect((await h(call(await valid()))).status).toBe(200);
    jwks.mode = 'down';
    clock += 90_000; // past max age, inside the stale window
    expect((await h(call(await valid()))).status).toBe(200);
    const unknown = await sign({}, { header: { kid: 'new-key' } });
    await expectRefused(await h(call(unknown)), 503, 'KEY_UNAVAILABLE', unknown);
    clock += 60_000; // past the stale window
    await expectRefused(await h(call(await valid())), 503, 'KEY_UNAVAILABLE');
  });

  it('the testing kit JWKS server (in-memory fetch) serves the same contract', async () => {
    const kit = createForgeJwksServer([forgeKey]);
    const h = handler(createForgeKeySet({ url: kit.url, fetch: kit.fetch }));
    expect((await h(call(await valid()))).status).toBe(200);
    const h2 = handler(createForgeKeySet({ url: kit.url, fetch: kit.fetch }));
    kit.fault = 'down';
    await expectRefused(await h2(call(await valid())), 503, 'KEY_UNAVAILABLE');
    expect(kit.requests).toBe(2);
  });
});

describe('where the token comes from', () => {
  it('a token in the query string is ignored, however it is named', async () => {
    const token = await valid();
    for (const name of ['jwt', 'token', 'access_token', 'fit']) {
      await expectRefused(
        await handler()(call(undefined, { path: `/api/items?${name}=${token}` })),
        401,
        'TOKEN_MISSING',
        token,
      );
    }
  });

  it('a FIT sent with the Connect scheme (`JWT <token>`) is refused', async () => {
    const token = await valid();
    await expectRefused(
      await handler()(call(undefined, { headers: { authorization: `JWT ${token}` } })),
      401,
      'TOKEN_MISSING',
      token,
    );
  });

  it('two tokens in one Authorization header are refused', async () => {
    const token = await valid();
    await expectRefused(
      await handler()(call(undefined, { headers: { authorization: `Bearer ${token}, Bearer ${token}` } })),
      401,
      'TOKEN_MISSING',
      token,
    );
  });

  it('an oversized token is refused before any decoding or key fetch', async () => {
    const token = `${b64({ alg: 'RS256', kid: forgeKey.kid })}.${'A'.repeat(20_000)}.sig`;
    await expectRefused(await handler()(call(token)), 401, 'TOKEN_TOO_LARGE', token);
    expect(jwks.hits).toBe(0);
  });

  it.each([
    ['not a JWT', 'abc'],
    ['four segments', 'a.b.c.d'],
    ['a header that is not JSON', `${Buffer.from('not json').toString('base64url')}.${b64({})}.sig`],
    [
      'a payload that is not JSON',
      `${b64({ alg: 'RS256', kid: 'forge-fit-key-1' })}.${Buffer.from('[[[').toString('base64url')}.sig`,
    ],
    ['a payload that is a JSON array', `${b64({ alg: 'RS256', kid: 'forge-fit-key-1' })}.${b64([1, 2])}.sig`],
  ])('garbage (%s) is a 401, never a 5xx', async (_name, token) => {
    const response = await handler()(call(token));
    expect(response.status).toBe(401);
    const body = await response.text();
    if (token.length > 8) expect(body).not.toContain(token);
  });

  it('a correctly signed token with an unknown critical header is refused (the signer could not be understood)', async () => {
    const rawSign = (header: object) => {
      const input = `${b64(header)}.${b64(baseClaims())}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(KeyObject.from(forgeKey.privateKey)).toString('base64url')}`;
    };
    const control = rawSign({ alg: 'RS256', kid: forgeKey.kid });
    expect((await handler()(call(control))).status).toBe(200);
    const token = rawSign({ alg: 'RS256', kid: forgeKey.kid, crit: ['x-unknown'], 'x-unknown': 1 });
    await expectRefused(await handler()(call(token)), 401, 'TOKEN_MALFORMED', token);
  });

  it('no Authorization header at all: 401 TOKEN_MISSING', async () => {
    await expectRefused(await handler()(call(undefined)), 401, 'TOKEN_MISSING');
  });
});
