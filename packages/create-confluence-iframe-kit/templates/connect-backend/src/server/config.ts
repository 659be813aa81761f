import { createSecretBox, loadSecretKey, openTenantStore, parseSecretKeys } from 'confluence-iframe-kit/server';
import { FORGE_APP_ID } from './forge';

/**
 * The backend's settings, from the environment:
 * PORT (3000), BASE_URL (http://localhost:$PORT), DATABASE_URL (sqlite:./.data/tenants.db, or postgres://…),
 * TENANT_SECRET_KEY (32 bytes hex; required in production, generated into .data/ in development; "<new>,<old>"
 * while rotating), CONNECT_INSTALL_KEYS_URL and FORGE_JWKS_URL (the emulator's, in development only).
 */
export async function readConfig(development: boolean) {
  const port = Number(process.env.PORT ?? 3000);
  const baseUrl = process.env.BASE_URL ?? `http://localhost:${port}`;
  if (!development && !baseUrl.startsWith('https://')) throw new Error('BASE_URL must be https in production');
  const keys = process.env.TENANT_SECRET_KEY
    ? parseSecretKeys(process.env.TENANT_SECRET_KEY)
    : [loadSecretKey({ production: !development, devKeyFile: '.data/tenant-secret.key' })];
  const tenants = await openTenantStore(process.env.DATABASE_URL ?? 'sqlite:./.data/tenants.db', createSecretBox(keys));
  const installKeysUrl = process.env.CONNECT_INSTALL_KEYS_URL;
  const jwksUrl = process.env.FORGE_JWKS_URL;
  if (jwksUrl && !development) throw new Error("FORGE_JWKS_URL is for the emulator: production uses Forge's key set");
  const forge = FORGE_APP_ID ? { appId: FORGE_APP_ID, ...(jwksUrl ? { jwksUrl } : {}) } : undefined;
  return { port, baseUrl, tenants, installKeysUrl, forge };
}
