// confluence-iframe-kit's reference server (GET /api/verify, context JWT) on a real SQLite file with the tenant
// installed through the store, exactly as the lifecycle route would have stored it.
import { join } from 'node:path';
import { createSecretBox, openTenantStore, parseSecretKey } from '../../src/server/index.js';
import { createReferenceServer } from '../../examples/page-list-macro/server/index.js';

const env = process.env;
const databaseUrl = `sqlite:${join(env.BENCH_DIR!, 'tenants.db')}`;
const store = await openTenantStore(databaseUrl, createSecretBox(parseSecretKey(env.BENCH_SECRET_KEY!)));
await store.applyLifecycleEvent({
  clientKey: env.BENCH_CLIENT_KEY!,
  sharedSecret: env.BENCH_SHARED_SECRET!,
  baseUrl: env.BENCH_TENANT_BASE_URL!,
  eventType: 'installed',
  iat: Math.floor(Date.now() / 1000),
});
await store.close();

const server = await createReferenceServer({
  port: 0,
  host: '127.0.0.1',
  databaseUrl,
  secretKey: env.BENCH_SECRET_KEY!,
  production: true,
  log: () => {},
});
process.send!({ port: Number(new URL(server.url).port) });
// A normal exit on the bench's SIGTERM, so a --cpu-prof run (BENCH_CPU_PROF) writes its profile.
process.once('SIGTERM', () => process.exit(0));
