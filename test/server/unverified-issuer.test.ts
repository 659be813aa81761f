/** An unverified token issuer is checked before it is used as a store key: garbage never reaches the database. */
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
import { memoryStore, secretBox } from './helpers/tenant-fixture.js';
import { APP_KEY } from './helpers/tokens.js';

const pgUrl = await resolvePostgresUrl();
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('an unverified issuer is checked before it reaches the store', () => {
  it.each([
    ['a NUL byte', 'a\u0000b'],
    ['a control character', 'tenant\u001b[2J'],
    ['a lone surrogate', 'tenant\uD800'],
    ['300 characters', 'x'.repeat(300)],
  ])(
    '%s → 401 SIGNATURE_INVALID (the same refusal as a bad signature), and the store is never asked',
    async (_, iss) => {
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
      await expectRefusal(response, 401, 'SIGNATURE_INVALID', { token });
      expect(get).not.toHaveBeenCalled();
    },
  );

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
      expect(refusal).toMatchObject({ code: 'SIGNATURE_INVALID', status: 401 });
    } finally {
      await store.close();
      await dropTable(pgUrl!, table);
    }
  });
});
