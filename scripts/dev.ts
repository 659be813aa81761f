/**
 * `npm run dev`: the emulate command pointed at our example app. The example app (examples/page-list-macro) starts on
 * http://localhost:3000, then the emulator starts on http://localhost:5173 (a different origin, as in Confluence)
 * through the same code the `confluence-iframe-kit emulate` command runs (emulator/node/start-emulator.ts), and prints
 * the same lines. The demo is just one app the emulator hosts; its Forge side (Custom UI and remote) is served by the
 * example app itself. Env: APP_PORT, EMULATOR_PORT, DATA_DIR.
 */
import { reportStart } from '../emulator/cli';
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
console.log(`App:          ${env.appUrl}/atlassian-connect.json`);
reportStart(env.emulator, console, { connect: true });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void env.close().finally(() => process.exit(0));
  });
}
