/** TENANT_SECRET_KEY rotation: several keys newest first, a key id on every record, re-encryption to the newest. */
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  openTenantStore,
  parseSecretKeys,
  secretKeyId,
  type SecretBox,
} from '../../src/server/index.js';
import { dropTable, resolvePostgresUrl, uniqueTable } from './helpers/postgres.js';

const pgUrl = await resolvePostgresUrl();
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const backends: Array<[string, (box: SecretBox) => ReturnType<typeof openTenantStore>, () => Promise<void>]> = [];
{
  const dir = mkdtempSync(join(tmpdir(), 'cik-rotate-'));
  dirs.push(dir);
  backends.push(['SQLite', (box) => openTenantStore(`sqlite:${join(dir, 'tenants.db')}`, box), async () => {}]);
}
if (pgUrl) {
  const table = uniqueTable();
  backends.push(['PostgreSQL', (box) => openTenantStore(pgUrl, box, { table }), () => dropTable(pgUrl, table)]);
}

it('parseSecretKeys reads one key or several, newest first', () => {
  const keys = parseSecretKeys(`${newKey.toString('hex')}, ${oldKey.toString('base64')}`);
  expect(keys.map((key) => Buffer.from(key))).toEqual([newKey, oldKey]);
  expect(() => parseSecretKeys(' , ')).toThrow(/empty/);
});

it('records carry the id of the key that wrote them; the legacy v1 format still decrypts', () => {
  const box = createSecretBox([newKey, oldKey]);
  expect(box.encrypt('s', 'ck', 1).startsWith(`v3:${secretKeyId(newKey)}:`)).toBe(true);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', oldKey, iv);
  cipher.setAAD(Buffer.from('ck'));
  const body = Buffer.concat([cipher.update('legacy-secret', 'utf8'), cipher.final()]);
  const legacy = `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  // A legacy record is read only from a row without a generation (0): see secret-generation.test.ts.
  expect(box.decrypt(legacy, 'ck', 0)).toBe('legacy-secret');
  expect(() => createSecretBox(newKey).decrypt(legacy, 'ck', 0)).toThrow(/TENANT_SECRET_KEY/);
});

describe.each(backends)('rotation (%s)', (_, open, cleanup) => {
  it('old key → "new,old" reads everything → reencryptSecrets → "new" alone reads everything', async () => {
    const before = await open(createSecretBox(oldKey));
    for (const clientKey of ['rot-a', 'rot-b']) {
      await before.applyLifecycleEvent({
        clientKey,
        baseUrl: 'https://rot.atlassian.net/wiki',
        sharedSecret: `${clientKey}-secret-0123456789abcdef`,
        eventType: 'installed',
        iat: 1,
      });
    }
    await before.close();

    const rotating = await open(createSecretBox([newKey, oldKey]));
    expect((await rotating.get('rot-a'))?.sharedSecret).toBe('rot-a-secret-0123456789abcdef');
    expect(await rotating.reencryptSecrets!()).toBe(2);
    expect(await rotating.reencryptSecrets!()).toBe(0);
    await rotating.close();

    const after = await open(createSecretBox(newKey));
    try {
      expect((await after.get('rot-a'))?.sharedSecret).toBe('rot-a-secret-0123456789abcdef');
      expect((await after.get('rot-b'))?.sharedSecret).toBe('rot-b-secret-0123456789abcdef');
    } finally {
      await after.close();
      await cleanup();
    }
  });
});
