/** Lifecycle events whose tokens carry the same iat (1 s resolution). */
import { describe, expect, it } from 'vitest';
import { TenantDirectory } from '../../src/server/index.js';
import { memoryStore } from './helpers/tenant-fixture.js';

describe('lifecycle events within the same second (iat)', () => {
  const change = (
    clientKey: string,
    eventType: 'installed' | 'enabled' | 'disabled' | 'uninstalled',
    iat: number,
    sharedSecret = 's'.repeat(32),
  ) => ({
    clientKey,
    baseUrl: 'https://tenant.atlassian.net/wiki',
    sharedSecret,
    eventType,
    iat,
  });

  it('a reinstall right after an uninstall is applied, not dropped with a 204', async () => {
    const tenants = new TenantDirectory(await memoryStore());
    await tenants.applyLifecycleEvent(change('t1', 'installed', 100, 'old-secret-'.padEnd(32, 'x')));
    await tenants.applyLifecycleEvent(change('t1', 'uninstalled', 200));
    const result = await tenants.applyLifecycleEvent(change('t1', 'installed', 200, 'new-secret-'.padEnd(32, 'y')));
    expect(result.applied).toBe(true);
    expect(await tenants.store.get('t1')).toMatchObject({
      state: 'installed',
      sharedSecret: 'new-secret-'.padEnd(32, 'y'),
    });
  });

  it('the parallel disabled + uninstalled pair ends uninstalled in either order; enable/disable follow arrival', async () => {
    const tenants = new TenantDirectory(await memoryStore());
    await tenants.applyLifecycleEvent(change('t2', 'installed', 100));
    await tenants.applyLifecycleEvent(change('t2', 'uninstalled', 300));
    expect((await tenants.applyLifecycleEvent(change('t2', 'disabled', 300))).applied).toBe(false);
    expect((await tenants.store.get('t2'))?.state).toBe('uninstalled');

    await tenants.applyLifecycleEvent(change('t3', 'installed', 100));
    await tenants.applyLifecycleEvent(change('t3', 'disabled', 300));
    await tenants.applyLifecycleEvent(change('t3', 'uninstalled', 300));
    expect((await tenants.store.get('t3'))?.state).toBe('uninstalled');

    await tenants.applyLifecycleEvent(change('t4', 'installed', 100));
    await tenants.applyLifecycleEvent(change('t4', 'disabled', 300));
    expect((await tenants.applyLifecycleEvent(change('t4', 'enabled', 300))).applied).toBe(true);
    expect((await tenants.store.get('t4'))?.state).toBe('enabled');
  });
});
