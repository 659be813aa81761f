import { expect } from 'vitest';
import type { TenantStore } from '../../../src/server/index.js';
import type { SeededTenant } from './tenant-fixture.js';

export async function expectRefusal(
  response: Response,
  status: number,
  code: string,
  secrets: { token?: string } = {},
): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^JWT realm="/);
  if (secrets.token) {
    // never echo the token, nor its header.payload signing input
    const [header, payload] = secrets.token.split('.');
    expect(text).not.toContain(secrets.token);
    if (header && header.length > 8) expect(text).not.toContain(header);
    if (payload && payload.length > 8) expect(text).not.toContain(payload);
  }
}

/** The stored tenant is exactly as seeded: same secret, same baseUrl, same state. */
export async function expectTenantUnchanged(
  store: TenantStore,
  tenant: SeededTenant,
  state: string = 'installed',
): Promise<void> {
  const stored = await store.get(tenant.clientKey);
  expect(stored?.sharedSecret).toBe(tenant.sharedSecret);
  expect(stored?.baseUrl).toBe(tenant.baseUrl);
  expect(stored?.state).toBe(state);
}
