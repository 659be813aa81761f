import { randomBytes } from 'node:crypto';
import { type TenantDirectory, createSecretBox, openTenantStore, type TenantStore } from '../../../src/server/index.js';

export const SECRET_KEY = randomBytes(32);
export const secretBox = createSecretBox(SECRET_KEY);

export async function memoryStore(): Promise<TenantStore> {
  return openTenantStore('sqlite::memory:', secretBox);
}

export interface SeededTenant {
  clientKey: string;
  sharedSecret: string;
  baseUrl: string;
}

export async function seedTenant(
  target: TenantStore | TenantDirectory,
  tenant: Partial<SeededTenant> = {},
  state: 'installed' | 'disabled' | 'uninstalled' = 'installed',
): Promise<SeededTenant> {
  const seeded: SeededTenant = {
    clientKey: tenant.clientKey ?? `client-${randomBytes(4).toString('hex')}`,
    sharedSecret: tenant.sharedSecret ?? randomBytes(32).toString('base64url'),
    baseUrl: tenant.baseUrl ?? 'https://tenant.atlassian.net/wiki',
  };
  await target.applyLifecycleEvent({ ...seeded, eventType: 'installed', iat: 1 });
  if (state !== 'installed') await target.applyLifecycleEvent({ ...seeded, eventType: state, iat: 2 });
  return seeded;
}
