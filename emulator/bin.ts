#!/usr/bin/env node
/** The package's command: `confluence-iframe-kit emulate --app <descriptor URL>` (see cli.ts). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli';

// Built into dist/emulator/cli.js, the page sits next to it (dist/emulator/page); from the sources vite serves it.
const prebuiltPage = fileURLToPath(new URL('./page/', import.meta.url));
const { exitCode, close } = await runCli(
  process.argv.slice(2),
  console,
  existsSync(`${prebuiltPage}index.html`) ? prebuiltPage : undefined,
);
if (exitCode !== 0 || !close) process.exit(exitCode);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void close().finally(() => process.exit(0));
  });
}
