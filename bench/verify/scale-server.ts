// The reference server (GET /api/verify, context JWT) over a store holding BENCH_TENANTS tenants, installed through
// the store exactly as the lifecycle route stores them. Driven by bench/verify-scale.mjs over IPC:
//   ready → { port, installMs }        measure → { memory, caches }        stop → exits
// Each tenant's shared secret is HMAC(BENCH_SECRET_SEED, clientKey), so the driver mints tokens without 10 000
// secrets crossing the IPC channel.
import { createHmac } from 'node:crypto';
import { createSecretBox, openTenantStore, parseSecretKey, type TenantDirectory } from '../../src/server/index.js';
import { createReferenceServer } from '../../examples/page-list-macro/server/index.js';

const env = process.env;
const tenantCount = Number(env.BENCH_TENANTS);
const databaseUrl = env.BENCH_DATABASE_URL!;
const table = env.BENCH_TABLE;
/** PostgreSQL installs overlap this many at a time (one transaction each); SQLite serialises them anyway. */
const INSTALL_CONCURRENCY = databaseUrl.startsWith('sqlite:') ? 1 : 8;

const clientKeyOf = (index: number) => `scale-tenant-${index}`;
const secretOf = (clientKey: string) =>
  createHmac('sha256', env.BENCH_SECRET_SEED!).update(clientKey).digest('base64url');

const store = await openTenantStore(
  databaseUrl,
  createSecretBox(parseSecretKey(env.BENCH_SECRET_KEY!)),
  table ? { table } : {},
);
const installStarted = performance.now();
const iat = Math.floor(Date.now() / 1000);
let nextIndex = 0;
async function installWorker(): Promise<void> {
  while (nextIndex < tenantCount) {
    const clientKey = clientKeyOf(nextIndex++);
    await store.applyLifecycleEvent({
      clientKey,
      sharedSecret: secretOf(clientKey),
      baseUrl: 'https://scale.atlassian.net/wiki',
      productType: 'confluence',
      eventType: 'installed',
      iat,
    });
  }
}
await Promise.all(Array.from({ length: INSTALL_CONCURRENCY }, installWorker));
const installMs = performance.now() - installStarted;

// Counted for the bench: how many requests still reach the store (cache misses and TTL reloads) under Zipf traffic.
let storeReads = 0;
const get = store.get.bind(store);
store.get = (clientKey) => {
  storeReads += 1;
  return get(clientKey);
};

const server = await createReferenceServer({
  port: 0,
  host: '127.0.0.1',
  store,
  secretKey: env.BENCH_SECRET_KEY!,
  production: true,
  log: () => {},
});

/** The directory's caches are private; the bench reads their sizes to show they stay bounded. */
function cacheSizes(directory: TenantDirectory) {
  const internals = directory as unknown as Record<
    'cache' | 'unknown' | 'verifiedTokens' | 'lastForcedReload',
    Map<string, unknown>
  >;
  return {
    tenants: internals.cache.size,
    unknownIssuers: internals.unknown.size,
    verifiedTokens: internals.verifiedTokens.size,
    forcedReloads: internals.lastForcedReload.size,
  };
}

process.on('message', async (message: { type: string }) => {
  if (message.type === 'measure') {
    // Started with --expose-gc: collect first, so heapUsed is what is retained, not garbage not yet swept.
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    collect?.();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send!({
      type: 'measured',
      memory: { rss, heapUsed, external, arrayBuffers },
      caches: cacheSizes(server.app.tenants),
      storeReads,
    });
  } else if (message.type === 'stop') {
    await server.close(); // closes the store it was given too
    process.exit(0);
  }
});
process.send!({ type: 'ready', port: Number(new URL(server.url).port), installMs });
