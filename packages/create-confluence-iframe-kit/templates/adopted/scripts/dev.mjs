/**
 * `npm run dev`: the backend (src/server/dev.ts, restarted on change, the macro's UI through Vite with HMR), the
 * Forge overview page rebuilt into build/overview on change, and the Confluence emulator hosting both: the Connect
 * macro from the descriptor, the Forge page from manifest.yml. Open the `Emulator:` URL it prints.
 * PORT (default 3000, as manifest.yml's remote) is the backend's port, EMULATOR_PORT (default 5173) the emulator's.
 */
import { runOnce, start, waitFor } from './processes.mjs';

const port = process.env.PORT ?? '3000';
const emulatorPort = process.env.EMULATOR_PORT ?? '5173';
const emulator = `http://localhost:${emulatorPort}`;
const descriptor = `http://localhost:${port}/atlassian-connect.json`;

runOnce('vite', ['build', '--config', 'vite.forge.config.ts', '--logLevel', 'warn']);
start('vite', ['build', '--config', 'vite.forge.config.ts', '--watch', '--logLevel', 'warn']);
start('tsx', ['watch', '--clear-screen=false', 'src/server/dev.ts'], {
  PORT: port,
  // The emulator signs installs and Forge Invocation Tokens with its own keys (development only).
  CONNECT_INSTALL_KEYS_URL: `${emulator}/__emulator/install-keys`,
  FORGE_JWKS_URL: `${emulator}/__emulator/forge/jwks.json`,
});
await waitFor(descriptor);
start('confluence-iframe-kit', [
  'emulate',
  '--app',
  descriptor,
  '--forge',
  'manifest.yml',
  '--port',
  emulatorPort,
  '--data',
  '.emulator-data',
]);
