/**
 * Probe kept as a regression check: one captured install token sent at the same moment to two app instances sharing
 * one database, once with the genuine body and once with an attacker's secret. Exactly one delivery applies; the
 * other is refused 401 LIFECYCLE_TOKEN_REPLAYED (its body differs from the recorded one), and both instances then
 * read the secret of the delivery that applied. PostgreSQL, where the instances are separate connections.
 */
import { importSPKI } from 'jose';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createConnectApp,
  createFetchHandler,
  openTenantStore,
  type InstallKeyProvider,
} from '../../../src/server/index.js';
import { createInstallKeyPair } from '../helpers/key-server.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from '../helpers/postgres.js';
import { secretBox } from '../helpers/tenant-fixture.js';
import { APP_KEY, mintInstall } from '../helpers/tokens.js';

const APP = 'https://app.example.com';
const pgUrl = await resolvePostgresUrl();

describe.skipIf(!pgUrl)('one install token raced through two instances (PostgreSQL)', () => {
  it('applies once: one answer is 204 applied, the other a replay; the stored secret is the applied one', async () => {
    const keys = await createInstallKeyPair('race/key-1');
    const key = await importSPKI(keys.publicPem, 'RS256');
    const installKeys: InstallKeyProvider = { getKey: async () => key };
    const table = uniqueTable();
    const first = await openTenantStore(pgUrl!, secretBox, { table });
    const second = await openTenantStore(pgUrl!, secretBox, { table });
    try {
      const applied: string[] = [];
      const instance = (store: typeof first) =>
        createFetchHandler(
          createConnectApp({
            appKey: APP_KEY,
            baseUrl: APP,
            tenants: store,
            installKeys,
            onLifecycle: (notice) => {
              if (notice.applied) applied.push(notice.clientKey);
            },
          }),
        );
      const handlers = [instance(first), instance(second)];
      for (let round = 0; round < 5; round++) {
        const clientKey = `race-${randomBytes(4).toString('hex')}`;
        const token = await mintInstall({ keys, clientKey, aud: APP, url: '/installed', appBase: APP });
        const secrets = [randomBytes(24).toString('base64url'), randomBytes(24).toString('base64url')];
        const responses = await Promise.all(
          handlers.map((handler, index) =>
            handler(
              new Request(`${APP}/installed`, {
                method: 'POST',
                headers: { authorization: `JWT ${token}` },
                body: JSON.stringify({
                  key: APP_KEY,
                  eventType: 'installed',
                  clientKey,
                  sharedSecret: secrets[index],
                  baseUrl: 'https://race.atlassian.net/wiki',
                }),
              }),
            ),
          ),
        );
        const statuses = responses.map((response) => response.status).sort();
        expect(statuses).toEqual([204, 401]);
        const winner = responses.findIndex((response) => response.status === 204);
        expect((await first.get(clientKey))?.sharedSecret).toBe(secrets[winner]);
        expect((await second.get(clientKey))?.sharedSecret).toBe(secrets[winner]);
      }
      expect(applied).toHaveLength(5);
    } finally {
      await second.close();
      await first.close();
      await dropTable(pgUrl!, table);
    }
  });
});
