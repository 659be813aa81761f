import { describe, expect, it } from 'vitest';
import { TenantDirectory, VerificationError, verifyRequest, type VerifiedContext } from '../../src/server/index.js';
import { memoryStore, seedTenant } from './helpers/tenant-fixture.js';
import { mintSymmetric, now } from './helpers/tokens.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return (error as VerificationError).code;
  }
}

async function setup() {
  const store = await memoryStore();
  const tenants = new TenantDirectory(store);
  const tenant = await seedTenant(tenants);
  const context = await mintSymmetric({ ...tenant, qsh: 'context', sub: 'u' });
  const request = { method: 'GET', url: '/api/verify', headers: { authorization: `JWT ${context}` } };
  return { store, tenants, tenant, context, request };
}

describe('remembered (signature-verified) tokens never weaken the checks', () => {
  it('a secret rotation (signed reinstall) makes a remembered token fail its signature again', async () => {
    const { tenants, tenant, request } = await setup();
    expect((await verifyRequest(request, { mode: 'context', tenants })).clientKey).toBe(tenant.clientKey);
    await tenants.applyLifecycleEvent({
      ...tenant,
      sharedSecret: 'rotated-secret-0123456789abcdef',
      eventType: 'installed',
      iat: 5,
    });
    expect(await codeOf(verifyRequest(request, { mode: 'context', tenants }))).toBe('SIGNATURE_INVALID');
  });

  it('uninstall and disable apply to remembered tokens at once', async () => {
    const { tenants, tenant, request } = await setup();
    await verifyRequest(request, { mode: 'context', tenants });
    await tenants.applyLifecycleEvent({ ...tenant, eventType: 'disabled', iat: 5 });
    expect(await codeOf(verifyRequest(request, { mode: 'context', tenants }))).toBe('TENANT_INACTIVE');
  });

  it('expiry is checked on every request', async () => {
    const { tenants, request } = await setup();
    await verifyRequest(request, { mode: 'context', tenants });
    const later = () => (now() + 3600) * 1000;
    expect(await codeOf(verifyRequest(request, { mode: 'context', tenants, now: later }))).toBe('TOKEN_EXPIRED');
  });

  it('qsh and route mode are checked on every request', async () => {
    const { tenants, tenant, request } = await setup();
    await verifyRequest(request, { mode: 'context', tenants });
    expect(await codeOf(verifyRequest(request, { mode: 'iframe', tenants }))).toBe('CONTEXT_QSH_NOT_ALLOWED');
    const iframe = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: '/macro?a=1' } });
    const ok = { method: 'GET', url: `/macro?a=1&jwt=${iframe}`, headers: {} };
    await verifyRequest(ok, { mode: 'iframe', tenants });
    expect(await codeOf(verifyRequest({ ...ok, url: `/macro?a=2&jwt=${iframe}` }, { mode: 'iframe', tenants }))).toBe(
      'QSH_MISMATCH',
    );
  });

  it('a forged token that differs from a remembered one is still signature-checked', async () => {
    const { tenants, context } = await setup();
    await verifyRequest(
      { method: 'GET', url: '/', headers: { authorization: `JWT ${context}` } },
      { mode: 'context', tenants },
    );
    const [header, payload] = context.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(43)}`;
    expect(
      await codeOf(
        verifyRequest(
          { method: 'GET', url: '/', headers: { authorization: `JWT ${tampered}` } },
          { mode: 'context', tenants },
        ),
      ),
    ).toBe('SIGNATURE_INVALID');
  });

  it('claims handed to handlers are frozen, so a handler cannot alter what later requests see', async () => {
    const { tenants, request } = await setup();
    const first: VerifiedContext = await verifyRequest(request, { mode: 'context', tenants });
    expect(() => {
      (first.claims as Record<string, unknown>).sub = 'someone-else';
    }).toThrow(TypeError);
    expect((await verifyRequest(request, { mode: 'context', tenants })).accountId).toBe('u');
  });

  it('maxVerifiedTokens: 0 turns remembering off', async () => {
    const store = await memoryStore();
    const tenants = new TenantDirectory(store, { maxVerifiedTokens: 0 });
    const tenant = await seedTenant(tenants);
    const token = await mintSymmetric({ ...tenant, qsh: 'context' });
    await verifyRequest(
      { method: 'GET', url: '/', headers: { authorization: `JWT ${token}` } },
      { mode: 'context', tenants },
    );
    expect(await tenants.recallVerified(token)).toBeUndefined();
  });
});

describe('a TTL reload keeps what the store still holds', () => {
  async function clockedSetup() {
    const store = await memoryStore();
    let clock = 1_000_000;
    const tenants = new TenantDirectory(store, { ttlMs: 1000, now: () => clock });
    const tenant = await seedTenant(tenants);
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = async (clientKey) => {
      reads.push(clientKey);
      return get(clientKey);
    };
    return { store, tenants, tenant, reads, advance: (ms: number) => (clock += ms) };
  }

  it('an unchanged record keeps its ResolvedTenant (remembered tokens stay remembered); the store is still read per TTL', async () => {
    const { tenants, tenant, reads, advance } = await clockedSetup();
    const first = await tenants.resolve(tenant.clientKey);
    advance(1500);
    const reloaded = await tenants.resolve(tenant.clientKey);
    expect(reads).toEqual([tenant.clientKey, tenant.clientKey]);
    expect(reloaded).toBe(first);
  });

  it('a record changed behind the cache (another instance, no notification) is a new ResolvedTenant after the TTL', async () => {
    const { store, tenants, tenant, advance } = await clockedSetup();
    const context = await mintSymmetric({ ...tenant, qsh: 'context', sub: 'u' });
    const request = { method: 'GET', url: '/api/verify', headers: { authorization: `JWT ${context}` } };
    const first = await tenants.resolve(tenant.clientKey);
    await verifyRequest(request, { mode: 'context', tenants, now: () => now() * 1000 });
    // Written to the store directly: this directory hears nothing until its entry expires.
    await store.applyLifecycleEvent({
      ...tenant,
      sharedSecret: 'rotated-secret-0123456789abcdef',
      eventType: 'installed',
      iat: 5,
    });
    advance(1500);
    const reloaded = await tenants.resolve(tenant.clientKey);
    expect(reloaded).not.toBe(first);
    expect(reloaded?.tenant.sharedSecret).toBe('rotated-secret-0123456789abcdef');
    expect(await codeOf(verifyRequest(request, { mode: 'context', tenants, now: () => now() * 1000 }))).toBe(
      'SIGNATURE_INVALID',
    );
  });
});
