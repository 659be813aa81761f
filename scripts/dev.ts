/**
 * `npm run dev`: the example app (examples/page-list-macro) on http://localhost:3000 and the Confluence emulator
 * (Atlassian's connect-host.js hosting the app) on http://localhost:5173, a different origin as in Confluence.
 * Env: APP_PORT, EMULATOR_PORT, DATA_DIR.
 */
import { startDevEnvironment } from '../emulator/node/dev-environment';
import { preferredOrFreePort } from '../emulator/node/ports';
import { pageListMacro } from '../examples/page-list-macro/dev-app';

const env = await startDevEnvironment({
  app: pageListMacro,
  appPort: await preferredOrFreePort(Number(process.env.APP_PORT ?? 3000), 'APP_PORT'),
  emulatorPort: await preferredOrFreePort(Number(process.env.EMULATOR_PORT ?? 5173), 'EMULATOR_PORT'),
  ...(process.env.DATA_DIR ? { dataDir: process.env.DATA_DIR } : {}),
  hmr: true,
});
console.log(`App:      ${env.appUrl}/atlassian-connect.json`);
console.log(`Emulator: ${env.emulatorUrl}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void env.close().finally(() => process.exit(0));
  });
}
