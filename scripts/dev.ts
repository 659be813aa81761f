/**
 * `npm run dev`: the reference app server + demo on http://localhost:3000 and the Confluence emulator
 * (Atlassian's connect-host.js hosting the app) on http://localhost:5173, a different origin as in Confluence.
 * Env: APP_PORT, EMULATOR_PORT, DATA_DIR.
 */
import { startDevEnvironment } from '../src/emulator/node/dev-environment';

const env = await startDevEnvironment({
  appPort: Number(process.env.APP_PORT ?? 3000),
  emulatorPort: Number(process.env.EMULATOR_PORT ?? 5173),
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
