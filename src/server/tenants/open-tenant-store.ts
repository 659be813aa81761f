import type { PostgresTenantStoreOptions } from './postgres-store.js';
import type { SecretBox } from './secret-box.js';
import type { TenantStore } from './types.js';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/tenants.db';

/**
 * `sqlite:<path>` (relative to the working directory; `sqlite::memory:` for none) or `postgres://…` /
 * `postgresql://…`. The drivers are optional peers and are only loaded for the scheme in use.
 */
export async function openTenantStore(
  databaseUrl: string,
  secretBox: SecretBox,
  options: { table?: string; busyTimeoutMs?: number; timeoutMs?: number } & Pick<
    PostgresTenantStoreOptions,
    'channel' | 'listenRetryMs' | 'listenHeartbeatMs' | 'onListenError'
  > = {},
): Promise<TenantStore> {
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!filename) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/tenants.db');
    const { createSqliteTenantStore } = await import('./sqlite-store.js');
    return createSqliteTenantStore({ filename, secretBox, ...options });
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { createPostgresTenantStore } = await import('./postgres-store.js');
    return createPostgresTenantStore({ connectionString: databaseUrl, secretBox, ...options });
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}
