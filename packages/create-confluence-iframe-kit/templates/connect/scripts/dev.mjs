/**
 * `npm run dev`: the backend (src/server/dev.ts, restarted on change, the UI through Vite with HMR) and the
 * Confluence emulator installing it from its descriptor. Open the `Emulator:` URL it prints.
 * PORT (default 3000) is the backend's port, EMULATOR_PORT (default 5173) the emulator's.
 */
import { start, waitFor } from './processes.mjs';

const port = process.env.PORT ?? '3000';
const emulatorPort = process.env.EMULATOR_PORT ?? '5173';
const descriptor = `http://localhost:${port}/atlassian-connect.json`;

start('tsx', ['watch', '--clear-screen=false', 'src/server/dev.ts'], {
  PORT: port,
  // The emulator signs installs with its own key; the backend fetches it from here (development only).
  CONNECT_INSTALL_KEYS_URL: `http://localhost:${emulatorPort}/__emulator/install-keys`,
});
await waitFor(descriptor);
start('confluence-iframe-kit', ['emulate', '--app', descriptor, '--port', emulatorPort, '--data', '.emulator-data']);
