/**
 * `npm start` (after `npm run build`): the reference app server configured from the environment.
 *   NODE_ENV (required: production | development | test) · PORT (3000) · HOST (127.0.0.1; 0.0.0.0 to listen on every
 *   interface) · BASE_URL (https, required in production; development default http://127.0.0.1:$PORT) · DATABASE_URL (sqlite:./data/tenants.db | postgres://…)
 *   CONNECT_INSTALL_KEYS_URL (https) · TENANT_SECRET_KEY (required in production)
 *   DEV_FRAME_ANCESTORS (development only, comma-separated origins allowed to frame the module pages)
 *   STATIC_DIR (./dist/example/app) · FORGE_APP_ID (turns on the Forge remote at /forge-remote/*, verified against Forge's JWKS)
 */
import { referenceOptionsFromEnv } from './env-config.js';
import { createReferenceServer } from './reference-server.js';

try {
  const server = await createReferenceServer(referenceOptionsFromEnv(process.env));
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
