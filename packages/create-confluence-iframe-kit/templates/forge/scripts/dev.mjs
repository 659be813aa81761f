/**
 * `npm run dev`: Vite rebuilds the Custom UI into build/main on every change, and the Confluence emulator hosts it
 * from manifest.yml (reload the emulator page to see a change). Open the `Emulator:` URL it prints.
 * EMULATOR_PORT chooses the emulator's port (default 5173).
 */
import { runOnce, start } from './processes.mjs';

const port = process.env.EMULATOR_PORT ?? '5173';

runOnce('vite', ['build', '--logLevel', 'warn']); // the emulator serves build/main: it must exist first
start('vite', ['build', '--watch', '--logLevel', 'warn']);
start('confluence-iframe-kit', ['emulate', '--forge', 'manifest.yml', '--port', port, '--data', '.emulator-data']);
