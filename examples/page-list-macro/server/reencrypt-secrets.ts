/**
 * Re-encrypts every tenant's shared secret under the newest TENANT_SECRET_KEY, so an old key can be retired:
 *   1. deploy with TENANT_SECRET_KEY="<new key>,<old key>" (newest first; both read, the new one written);
 *   2. run once:  DATABASE_URL=… TENANT_SECRET_KEY="<new key>,<old key>" npx tsx examples/page-list-macro/server/reencrypt-secrets.ts
 *   3. deploy with TENANT_SECRET_KEY="<new key>".
 * Safe while the app serves: a tenant reinstalled meanwhile keeps the newer write.
 *
 * Also run it once after upgrading from a version whose records carry no generation (`v2:…`), with the one key
 * you have: each record is rewritten as `v3`, bound to its clientKey and generation, after which the old record
 * copied back over it no longer reads.
 */
import { DEFAULT_DATABASE_URL, createSecretBox, openTenantStore, parseSecretKeys } from 'confluence-iframe-kit/server';

const { DATABASE_URL, TENANT_SECRET_KEY } = process.env;
if (!TENANT_SECRET_KEY) {
  console.error('Set TENANT_SECRET_KEY to the new key followed by the old one(s): "<new>,<old>" (or the one key).');
  process.exit(1);
}
const store = await openTenantStore(
  DATABASE_URL ?? DEFAULT_DATABASE_URL,
  createSecretBox(parseSecretKeys(TENANT_SECRET_KEY)),
);
try {
  if (!store.reencryptSecrets) throw new Error('This tenant store cannot re-encrypt its secrets.');
  const rewritten = await store.reencryptSecrets();
  console.log(`Re-encrypted ${rewritten} tenant secret(s) under the newest key, each as its next generation.`);
} finally {
  await store.close();
}
