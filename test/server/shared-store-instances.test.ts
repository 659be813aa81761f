/** Several app instances (TenantDirectories) over one store. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { TenantDirectory, verifyRequest } from '../../src/server/index.js';
import { memoryStore, seedTenant } from './helpers/tenant-fixture.js';
import { mintSymmetric } from './helpers/tokens.js';

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
