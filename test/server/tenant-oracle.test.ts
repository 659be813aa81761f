/** Refusals do not tell strangers which clientKeys are installed, and random issuers do not each cost a store query. */
import { expect, it, vi } from 'vitest';
import {
  TenantDirectory,
  createConnectApp,
  createFetchHandler,
  jsonResponse,
  verifyRequest,
} from '../../src/server/index.js';
import { memoryStore, seedTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintSymmetric } from './helpers/tokens.js';

function contextRequest(token: string) {
  return new Request('https://app.example.com/api/verify', { headers: { authorization: `JWT ${token}` } });
}

it('unknown tenant and bad signature get the same status, code and message; the detail goes to onRefusal', async () => {
  const store = await memoryStore();
  const tenant = await seedTenant(store);
  const refusals: unknown[] = [];
  const handler = createFetchHandler(
    createConnectApp({
      appKey: APP_KEY,
      baseUrl: 'https://app.example.com',
      tenants: store,
      onRefusal: (error) => refusals.push(error.cause),
      routes: [{ method: 'GET', path: '/api/verify', auth: 'context', handle: () => jsonResponse(200, {}) }],
    }),
  );
  const unknown = await mintSymmetric({ clientKey: 'not-installed', sharedSecret: 'x'.repeat(32), qsh: 'context' });
  const forged = await mintSymmetric({ clientKey: tenant.clientKey, sharedSecret: 'y'.repeat(32), qsh: 'context' });
  const answers = await Promise.all(
    [unknown, forged].map(async (token) => {
      const response = await handler(contextRequest(token));
      return { status: response.status, body: await response.text() };
    }),
  );
  expect(answers[0]).toEqual(answers[1]);
  expect(answers[0]?.status).toBe(401);
  expect(JSON.parse(answers[0]!.body).error.code).toBe('SIGNATURE_INVALID');
  expect(refusals).toHaveLength(2);
  expect(refusals[0]).not.toEqual(refusals[1]);
});

it('an unknown issuer is remembered briefly: repeated tokens cost one store query; an install clears it', async () => {
  const store = await memoryStore();
  let clock = 1_000_000;
  const tenants = new TenantDirectory(store, { now: () => clock, unknownTtlMs: 5_000 });
  const get = vi.spyOn(store, 'get');
  const token = await mintSymmetric({ clientKey: 'later', sharedSecret: 's'.repeat(32), qsh: 'context' });
  for (let attempt = 0; attempt < 5; attempt++) {
    await expect(verifyRequest(contextRequest(token), { mode: 'context', tenants })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  }
  expect(get).toHaveBeenCalledTimes(1);
  clock += 5_001;
  await expect(verifyRequest(contextRequest(token), { mode: 'context', tenants })).rejects.toMatchObject({
    code: 'SIGNATURE_INVALID',
  });
  expect(get).toHaveBeenCalledTimes(2);

  await tenants.applyLifecycleEvent({
    clientKey: 'later',
    baseUrl: 'https://later.atlassian.net/wiki',
    sharedSecret: 's'.repeat(32),
    eventType: 'installed',
    iat: 1,
  });
  expect(await verifyRequest(contextRequest(token), { mode: 'context', tenants })).toMatchObject({
    clientKey: 'later',
  });
});
