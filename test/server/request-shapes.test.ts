/** Request objects that are not a Web Request. */
import { expect, it } from 'vitest';
import { TenantDirectory, verifyRequest } from '../../src/server/index.js';
import { memoryStore, seedTenant } from './helpers/tenant-fixture.js';
import { mintSymmetric } from './helpers/tokens.js';

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
