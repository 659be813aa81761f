/**
 * Found in review: each test pins a behaviour that was wrong before (garbage issuers reaching the store, a reinstall
 * on another instance, same-second lifecycle events, hand-built header objects).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  TenantDirectory,
  createConnectApp,
  createFetchHandler,
  jsonResponse,
  openTenantStore,
  verifyRequest,
} from '../../src/server/index.js';
import { expectRefusal } from './helpers/expect.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';
import { memoryStore, secretBox, seedTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintSymmetric } from './helpers/tokens.js';

const pgUrl = await resolvePostgresUrl();
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('an unverified issuer is checked before it reaches the store', () => {
  it.each([
    ['a NUL byte', 'a\u0000b'],
    ['a control character', 'tenant\u001b[2J'],
    ['a lone surrogate', 'tenant\uD800'],
    ['300 characters', 'x'.repeat(300)],
  ])('%s → 401 UNKNOWN_TENANT, and the store is never asked', async (_, iss) => {
    const store = await memoryStore();
    const get = vi.spyOn(store, 'get');
    const app = createConnectApp({
      appKey: APP_KEY,
      baseUrl: 'https://app.example.com',
      tenants: store,
      installKeysUrl: 'http://127.0.0.1:9',
      routes: [{ method: 'GET', path: '/api/verify', auth: 'context', handle: () => jsonResponse(200, {}) }],
    });
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss, iat: now, exp: now + 60, qsh: 'context-qsh' })}.AAAA`;
    const response = await createFetchHandler(app)(
      new Request('https://app.example.com/api/verify', { headers: { authorization: `JWT ${token}` } }),
    );
    await expectRefusal(response, 401, 'UNKNOWN_TENANT', { token });
    expect(get).not.toHaveBeenCalled();
  });

  it.skipIf(!pgUrl)('on PostgreSQL too: a NUL issuer is a 401, never a 503', async () => {
    const table = uniqueTable();
    const store = await openTenantStore(pgUrl!, secretBox, { table });
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = `${b64({ alg: 'HS256' })}.${b64({ iss: 'a\u0000b', iat: now, exp: now + 60, qsh: 'context-qsh' })}.AAAA`;
      const refusal = await verifyRequest(
        new Request('https://app.example.com/api/verify', { headers: { authorization: `JWT ${token}` } }),
        { mode: 'context', tenants: new TenantDirectory(store) },
      ).catch((e) => e);
      expect(refusal).toMatchObject({ code: 'UNKNOWN_TENANT', status: 401 });
    } finally {
      await store.close();
      await dropTable(pgUrl!, table);
    }
  });
});

describe('two instances sharing one store', () => {
  it('a reinstall taken by one instance: the other accepts the new secret at once', async () => {
    const store = await memoryStore();
    const a = new TenantDirectory(store),
      b = new TenantDirectory(store);
    const tenant = await seedTenant(a);
    const request = async (sharedSecret: string) => {
      const token = await mintSymmetric({ ...tenant, sharedSecret, qsh: 'context', sub: 'u' });
      return new Request('https://app.example.com/api/verify', { headers: { authorization: `JWT ${token}` } });
    };
    expect(await verifyRequest(await request(tenant.sharedSecret), { mode: 'context', tenants: b })).toMatchObject({
      clientKey: tenant.clientKey,
    });
    const rotated = randomBytes(32).toString('base64url');
    await a.applyLifecycleEvent({ ...tenant, sharedSecret: rotated, eventType: 'installed', iat: 5 });
    expect(await verifyRequest(await request(rotated), { mode: 'context', tenants: b })).toMatchObject({
      clientKey: tenant.clientKey,
    });
    // A forged signature does not turn into a store read per request: reloads are throttled per tenant.
    const get = vi.spyOn(store, 'get');
    for (let i = 0; i < 5; i++) {
      await expect(
        verifyRequest(await request('not-the-secret-' + i), { mode: 'context', tenants: b }),
      ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    }
    expect(get.mock.calls.length).toBeLessThanOrEqual(1);
  });
});

describe('lifecycle events within the same second (iat)', () => {
  const change = (
    clientKey: string,
    eventType: 'installed' | 'enabled' | 'disabled' | 'uninstalled',
    iat: number,
    sharedSecret = 's'.repeat(32),
  ) => ({
    clientKey,
    baseUrl: 'https://tenant.atlassian.net/wiki',
    sharedSecret,
    eventType,
    iat,
  });

  it('a reinstall right after an uninstall is applied, not dropped with a 204', async () => {
    const tenants = new TenantDirectory(await memoryStore());
    await tenants.applyLifecycleEvent(change('t1', 'installed', 100, 'old-secret-'.padEnd(32, 'x')));
    await tenants.applyLifecycleEvent(change('t1', 'uninstalled', 200));
    const result = await tenants.applyLifecycleEvent(change('t1', 'installed', 200, 'new-secret-'.padEnd(32, 'y')));
    expect(result.applied).toBe(true);
    expect(await tenants.store.get('t1')).toMatchObject({
      state: 'installed',
      sharedSecret: 'new-secret-'.padEnd(32, 'y'),
    });
  });

  it('the parallel disabled + uninstalled pair ends uninstalled in either order; enable/disable follow arrival', async () => {
    const tenants = new TenantDirectory(await memoryStore());
    await tenants.applyLifecycleEvent(change('t2', 'installed', 100));
    await tenants.applyLifecycleEvent(change('t2', 'uninstalled', 300));
    expect((await tenants.applyLifecycleEvent(change('t2', 'disabled', 300))).applied).toBe(false);
    expect((await tenants.store.get('t2'))?.state).toBe('uninstalled');

    await tenants.applyLifecycleEvent(change('t3', 'installed', 100));
    await tenants.applyLifecycleEvent(change('t3', 'disabled', 300));
    await tenants.applyLifecycleEvent(change('t3', 'uninstalled', 300));
    expect((await tenants.store.get('t3'))?.state).toBe('uninstalled');

    await tenants.applyLifecycleEvent(change('t4', 'installed', 100));
    await tenants.applyLifecycleEvent(change('t4', 'disabled', 300));
    expect((await tenants.applyLifecycleEvent(change('t4', 'enabled', 300))).applied).toBe(true);
    expect((await tenants.store.get('t4'))?.state).toBe('enabled');
  });
});

it('a hand-built { method, url, headers } with a capitalised Authorization header is read', async () => {
  const tenants = new TenantDirectory(await memoryStore());
  const tenant = await seedTenant(tenants);
  const token = await mintSymmetric({ ...tenant, qsh: 'context', sub: 'u' });
  const verified = await verifyRequest(
    { method: 'GET', url: '/api/verify', headers: { Authorization: `JWT ${token}` } },
    { mode: 'context', tenants },
  );
  expect(verified).toMatchObject({ clientKey: tenant.clientKey, accountId: 'u' });
});

it('an unsigned lifecycle request with a junk body is a 401 (the body is read only after the signature)', async () => {
  const { generateKeyPair, SignJWT } = await import('jose');
  const attacker = await generateKeyPair('RS256');
  const realKey = await generateKeyPair('RS256');
  const store = await memoryStore();
  const app = createConnectApp({
    appKey: APP_KEY,
    baseUrl: 'https://app.example.com',
    tenants: store,
    installKeys: { getKey: async () => realKey.publicKey },
  });
  const forged = await new SignJWT({ iss: 'x', aud: 'https://app.example.com', qsh: 'q' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k' })
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(attacker.privateKey);
  for (const body of ['{}', 'not json', JSON.stringify({ eventType: 'uninstalled' })]) {
    const response = await createFetchHandler(app)(
      new Request('https://app.example.com/installed', {
        method: 'POST',
        body,
        headers: { authorization: `JWT ${forged}`, 'content-type': 'application/json' },
      }),
    );
    await expectRefusal(response, 401, 'SIGNATURE_INVALID', { token: forged });
  }
});
