import { generateKeyPair, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  TenantDirectory,
  createConnectApp,
  createFetchHandler,
  jsonResponse,
  type FetchHandler,
  type TenantStore,
} from '../../src/server/index.js';
import { expectRefusal, expectTenantUnchanged } from './helpers/expect.js';
import { memoryStore, seedTenant, type SeededTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, forgeWithHeader, mintSymmetric, now } from './helpers/tokens.js';

const APP = 'https://app.example.com/connect';

let store: TenantStore;
let tenant: SeededTenant;
let handler: FetchHandler;

beforeEach(async () => {
  store = await memoryStore();
  const tenants = new TenantDirectory(store);
  tenant = await seedTenant(tenants);
  const echo = ({ verified }: { verified: unknown }) => jsonResponse(200, verified);
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: APP,
    tenants,
    installKeysUrl: 'http://127.0.0.1:9',
    routes: [
      { method: 'GET', path: '/macro', auth: 'iframe', handle: echo },
      { method: 'GET', path: '/p', auth: 'iframe', handle: echo },
      { method: 'GET', path: '/p&a=b', auth: 'iframe', handle: echo },
      { method: ['GET', 'POST'], path: '/api/verify', auth: 'context', handle: echo },
      {
        method: 'GET',
        path: '/admin',
        auth: 'iframe',
        authorize: (verified) => verified.accountId === 'admin-account',
        handle: echo,
      },
    ],
  });
  handler = createFetchHandler(app);
});

const iframeToken = (
  url: string,
  overrides: Parameters<typeof mintSymmetric>[0] extends infer T ? Partial<T> : never = {},
) => mintSymmetric({ ...tenant, qsh: { method: 'GET', url, appBase: APP }, sub: 'user-1', ...overrides });
const contextToken = (overrides: Partial<Parameters<typeof mintSymmetric>[0]> = {}) =>
  mintSymmetric({
    ...tenant,
    qsh: 'context',
    sub: 'user-1',
    context: { confluence: { content: { id: '42' } } },
    ...overrides,
  });

const get = (path: string, headers: Record<string, string> = {}) =>
  handler(new Request(`https://app.example.com/connect${path}`, { headers }));

describe('accepted requests', () => {
  it('iframe route: token in ?jwt= with the computed qsh', async () => {
    const url = '/connect/macro?pageId=42&spaceKey=DEV&outputType=display';
    const token = await iframeToken(url);
    const response = await get(`/macro?pageId=42&spaceKey=DEV&outputType=display&jwt=${token}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      kind: 'iframe',
      clientKey: tenant.clientKey,
      baseUrl: tenant.baseUrl,
      accountId: 'user-1',
    });
  });

  it('context route: Authorization: JWT with context-qsh, no Content-Type, no body', async () => {
    const response = await get('/api/verify', { authorization: `JWT ${await contextToken()}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      kind: 'context',
      clientKey: tenant.clientKey,
      accountId: 'user-1',
      context: { confluence: { content: { id: '42' } } },
    });
  });

  it('a token that lives 900 s (Atlassian’s own lifetime) passes the default cap', async () => {
    const response = await get('/api/verify', { authorization: `JWT ${await contextToken({ exp: now() + 900 })}` });
    expect(response.status).toBe(200);
  });

  it('exp just inside the 30 s leeway is accepted', async () => {
    const token = await contextToken({ iat: now() - 200, exp: now() - 20 });
    expect((await get('/api/verify', { authorization: `JWT ${token}` })).status).toBe(200);
  });
});

describe('§d attack table (symmetric routes): status, code, stored secret unchanged', () => {
  it('alg none / HS384 / HS512 / RS256 / ES256 / PS256 on both route kinds → ALG_NOT_ALLOWED', async () => {
    const payload = { iss: tenant.clientKey, qsh: 'context-qsh', iat: now(), exp: now() + 60 };
    for (const alg of ['none', 'HS384', 'HS512', 'RS256', 'ES256', 'PS256']) {
      const token = await forgeWithHeader({ alg, typ: 'JWT' }, payload, tenant.sharedSecret);
      await expectRefusal(await get('/api/verify', { authorization: `JWT ${token}` }), 401, 'ALG_NOT_ALLOWED', {
        token,
      });
      await expectRefusal(await get(`/macro?jwt=${token}`), 401, 'ALG_NOT_ALLOWED', { token });
    }
    const hs512 = await mintSymmetric({ ...tenant, qsh: 'context', alg: 'HS512' });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${hs512}` }), 401, 'ALG_NOT_ALLOWED');
    await expectTenantUnchanged(store, tenant);
  });

  it('CSRT: HS256 signed with a bogus key → SIGNATURE_INVALID', async () => {
    const token = await forgeWithHeader(
      { alg: 'HS256', typ: 'JWT' },
      { iss: tenant.clientKey, qsh: 'context-qsh', iat: now(), exp: now() + 60 },
      'bogus-key-bogus-key-bogus-key-00',
    );
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${token}` }), 401, 'SIGNATURE_INVALID', {
      token,
    });
    await expectTenantUnchanged(store, tenant);
  });

  it('wrong shared secret → 401 SIGNATURE_INVALID (ACE answers 400 and echoes the signing input)', async () => {
    const token = await contextToken({ sharedSecret: 'another-secret-another-secret-xx' });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${token}` }), 401, 'SIGNATURE_INVALID', {
      token,
    });
    await expectTenantUnchanged(store, tenant);
  });

  it('RS256 key confusion: token signed with an RSA key claiming RS256 → ALG_NOT_ALLOWED', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ iss: tenant.clientKey, qsh: 'context-qsh' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${token}` }), 401, 'ALG_NOT_ALLOWED', { token });
  });

  it('tampered URL: query value, extra parameter, path, method → QSH_MISMATCH', async () => {
    const token = await iframeToken('/connect/macro?pageId=42');
    await expectRefusal(await get(`/macro?pageId=43&jwt=${token}`), 401, 'QSH_MISMATCH', { token });
    await expectRefusal(await get(`/macro?pageId=42&admin=true&jwt=${token}`), 401, 'QSH_MISMATCH', { token });
    await expectRefusal(await get(`/admin?pageId=42&jwt=${token}`), 401, 'QSH_MISMATCH', { token });
    // A context route reads no ?jwt= at all: the iframe token in the URL is refused before its qsh is looked at.
    const posted = await handler(
      new Request(`https://app.example.com/connect/api/verify?pageId=42&jwt=${token}`, { method: 'POST' }),
    );
    await expectRefusal(posted, 401, 'TOKEN_IN_QUERY', { token });
    await expectTenantUnchanged(store, tenant);
  });

  it('an & smuggled into the path cannot reuse a token for the query form', async () => {
    const token = await iframeToken('/connect/p?a=b&x=y');
    expect((await get(`/p?a=b&x=y&jwt=${token}`)).status).toBe(200);
    await expectRefusal(await get(`/p&a=b?x=y&jwt=${token}`), 401, 'QSH_MISMATCH', { token });
  });

  it('expired token (beyond leeway) → TOKEN_EXPIRED', async () => {
    const token = await contextToken({ iat: now() - 400, exp: now() - 31 });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${token}` }), 401, 'TOKEN_EXPIRED', { token });
    await expectTenantUnchanged(store, tenant);
  });

  it('missing token, malformed tokens and unknown host', async () => {
    await expectRefusal(await get('/api/verify'), 401, 'TOKEN_MISSING');
    await expectRefusal(await get('/api/verify', { authorization: 'Bearer abc' }), 401, 'TOKEN_MISSING');
    for (const garbage of [
      'abc',
      'a.b',
      'a.b.c.d',
      '....',
      'eyJhbGciOiJIUzI1NiJ9.!!!.sig',
      'e30.e30.e30',
      'bnVsbA.bnVsbA.x',
      'WzFd.WzFd.x',
    ]) {
      const response = await get('/api/verify', { authorization: `JWT ${garbage}` });
      expect(response.status, garbage).toBe(401);
      expect(['TOKEN_MALFORMED', 'ALG_NOT_ALLOWED']).toContain(
        ((await response.json()) as { error: { code: string } }).error.code,
      );
    }
    const unknown = await mintSymmetric({ clientKey: 'not-installed', sharedSecret: 'x'.repeat(32), qsh: 'context' });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${unknown}` }), 401, 'SIGNATURE_INVALID', {
      token: unknown,
    });
    const noIss = await mintSymmetric({ clientKey: '', sharedSecret: tenant.sharedSecret, qsh: 'context' });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${noIss}` }), 401, 'CLAIM_MISSING');
    await expectTenantUnchanged(store, tenant);
  });

  it('token sources: context routes read the Authorization header only; iframe routes refuse two different tokens', async () => {
    const a = await contextToken();
    const b = await contextToken({ sub: 'user-2' });
    // A context token is a bearer token for every context route: never accepted from a URL, even when the header
    // carries the same one, and whatever name encoding is used.
    await expectRefusal(await get(`/api/verify?jwt=${b}`, { authorization: `JWT ${a}` }), 401, 'TOKEN_IN_QUERY', {
      token: a,
    });
    await expectRefusal(await get(`/api/verify?jwt=${a}`, { authorization: `JWT ${a}` }), 401, 'TOKEN_IN_QUERY');
    await expectRefusal(await get(`/api/verify?jwt=${a}`), 401, 'TOKEN_IN_QUERY', { token: a });
    await expectRefusal(await get(`/api/verify?%6Awt=${a}`), 401, 'TOKEN_IN_QUERY', { token: a });
    expect((await get('/api/verify', { authorization: `JWT ${a}` })).status).toBe(200);
    // Iframe routes take ?jwt= (Atlassian puts it into the module URL), but never two different tokens.
    const iframe = await iframeToken('/connect/macro?pageId=42');
    await expectRefusal(
      await get(`/macro?pageId=42&jwt=${iframe}`, { authorization: `JWT ${a}` }),
      401,
      'TOKEN_AMBIGUOUS',
    );
    await expectRefusal(await get(`/macro?pageId=42&jwt=${iframe}&jwt=${iframe}`), 401, 'TOKEN_AMBIGUOUS');
    await expectRefusal(
      await get(`/macro?pageId=42&%6Awt=${iframe}`, { authorization: `JWT ${a}` }),
      401,
      'TOKEN_AMBIGUOUS',
    );
    const form = await handler(
      new Request('https://app.example.com/connect/api/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `jwt=${a}`,
      }),
    );
    await expectRefusal(form, 401, 'TOKEN_MISSING', { token: a });
  });

  it('context token on an iframe route → CONTEXT_QSH_NOT_ALLOWED; iframe token on a context route → CONTEXT_QSH_REQUIRED', async () => {
    const context = await contextToken();
    await expectRefusal(await get(`/macro?jwt=${context}`), 401, 'CONTEXT_QSH_NOT_ALLOWED', { token: context });
    const iframe = await iframeToken('/connect/api/verify');
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${iframe}` }), 401, 'CONTEXT_QSH_REQUIRED', {
      token: iframe,
    });
    const noQsh = await mintSymmetric({ ...tenant, qsh: null });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${noQsh}` }), 401, 'QSH_MISSING');
    await expectRefusal(await get(`/macro?jwt=${noQsh}`), 401, 'QSH_MISSING');
    await expectTenantUnchanged(store, tenant);
  });

  it('authorization: a valid user token cannot open an admin-only route → 403 NOT_AUTHORIZED', async () => {
    const user = await iframeToken('/connect/admin');
    await expectRefusal(await get(`/admin?jwt=${user}`), 403, 'NOT_AUTHORIZED');
    const admin = await iframeToken('/connect/admin', { sub: 'admin-account' });
    expect((await get(`/admin?jwt=${admin}`)).status).toBe(200);
  });
});

describe('§d "not tested anywhere" row', () => {
  it('replay across route kinds: iframe token for /macro refused on /api/verify and vice versa', async () => {
    const iframe = await iframeToken('/connect/macro?pageId=1');
    expect((await get(`/macro?pageId=1&jwt=${iframe}`)).status).toBe(200);
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${iframe}` }), 401, 'CONTEXT_QSH_REQUIRED');
    const context = await contextToken();
    await expectRefusal(await get(`/macro?pageId=1&jwt=${context}`), 401, 'CONTEXT_QSH_NOT_ALLOWED');
  });

  it('missing exp / missing iat → CLAIM_MISSING', async () => {
    const noExp = await contextToken({ exp: null });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${noExp}` }), 401, 'CLAIM_MISSING', {
      token: noExp,
    });
    const noIat = await contextToken({ iat: null, exp: now() + 60 });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${noIat}` }), 401, 'CLAIM_MISSING', {
      token: noIat,
    });
    const stringExp = await contextToken({ exp: null, extra: { exp: 'tomorrow' as unknown as number } });
    expect((await get('/api/verify', { authorization: `JWT ${stringExp}` })).status).toBe(401);
    await expectTenantUnchanged(store, tenant);
  });

  it('iat in the future (beyond leeway) → TOKEN_NOT_YET_VALID; nbf in the future → TOKEN_NOT_YET_VALID', async () => {
    const future = await contextToken({ iat: now() + 3600, exp: now() + 3700 });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${future}` }), 401, 'TOKEN_NOT_YET_VALID');
    const nbf = await contextToken({ extra: { nbf: now() + 600 } });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${nbf}` }), 401, 'TOKEN_NOT_YET_VALID');
  });

  it('lifetime over the cap (10 years, like ACE accepts) → LIFETIME_TOO_LONG', async () => {
    const forever = await contextToken({ exp: now() + 10 * 365 * 86400 });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${forever}` }), 401, 'LIFETIME_TOO_LONG');
  });

  it('oversized tokens, in the header and in the query → TOKEN_TOO_LARGE, never 5xx', async () => {
    const huge = await contextToken({ context: { blob: 'x'.repeat(20_000) } });
    await expectRefusal(await get('/api/verify', { authorization: `JWT ${huge}` }), 401, 'TOKEN_TOO_LARGE');
    await expectRefusal(await get(`/macro?jwt=${huge}`), 401, 'TOKEN_TOO_LARGE');
  });

  it('non-UTF-8 and lone-surrogate percent-encodings in params → 401 REQUEST_MALFORMED, never 5xx', async () => {
    for (const bad of ['%FF', '%ED%A0%80', '%C3', '%E2%82', '%zz']) {
      const token = await iframeToken('/connect/macro?pageId=1');
      const response = await get(`/macro?pageId=${bad}&jwt=${token}`);
      await expectRefusal(response, 401, 'REQUEST_MALFORMED', { token });
      const inJwtName = await get(`/macro?j${bad}=1&jwt=${token}`);
      expect(inJwtName.status).toBeLessThan(500);
    }
  });

  it('disabled and uninstalled tenants are known but not allowed → 403 TENANT_INACTIVE', async () => {
    const disabled = await seedTenant(store, {}, 'disabled');
    const uninstalled = await seedTenant(store, {}, 'uninstalled');
    for (const t of [disabled, uninstalled]) {
      const token = await mintSymmetric({ ...t, qsh: 'context' });
      await expectRefusal(await get('/api/verify', { authorization: `JWT ${token}` }), 403, 'TENANT_INACTIVE', {
        token,
      });
    }
    await expectTenantUnchanged(store, uninstalled, 'uninstalled');
  });
});
