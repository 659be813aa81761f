/**
 * `npm start` (after `npm run build`): the reference app server configured from the environment.
 *   PORT (3000) · BASE_URL (http://localhost:$PORT) · DATABASE_URL (sqlite:./data/tenants.db | postgres://…)
 *   CONNECT_INSTALL_KEYS_URL · TENANT_SECRET_KEY (required when NODE_ENV=production) · NODE_ENV
 *   DEV_FRAME_ANCESTORS (development only, comma-separated origins allowed to frame the module pages)
 *   STATIC_DIR (./dist/example/app) · FORGE_APP_ID (turns on the Forge remote at /forge-remote/*, verified against Forge's JWKS)
 */
import { createReferenceServer } from './reference-server.js';

const env = process.env;
const production = env.NODE_ENV === 'production';

try {
  const server = await createReferenceServer({
    port: Number(env.PORT ?? 3000),
    production,
    ...(env.BASE_URL ? { baseUrl: env.BASE_URL } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.CONNECT_INSTALL_KEYS_URL ? { installKeysUrl: env.CONNECT_INSTALL_KEYS_URL } : {}),
    ...(env.TENANT_SECRET_KEY ? { secretKey: env.TENANT_SECRET_KEY } : {}),
    ...(env.STATIC_DIR ? { staticDir: env.STATIC_DIR } : {}),
    ...(env.FORGE_APP_ID ? { forgeRemote: { appId: env.FORGE_APP_ID } } : {}),
    devFrameAncestors: (env.DEV_FRAME_ANCESTORS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  });
  console.log(
    `Reference server listening on ${server.url} (descriptor: ${server.descriptor.baseUrl}/atlassian-connect.json)`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().finally(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(`Reference server did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
