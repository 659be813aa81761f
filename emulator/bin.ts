#!/usr/bin/env node
/** The package's command: `confluence-iframe-kit emulate --app <descriptor URL>` (see cli.ts). */
import { runCli } from './cli';

const { exitCode, close } = await runCli(process.argv.slice(2));
if (exitCode !== 0 || !close) process.exit(exitCode);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void close().finally(() => process.exit(0));
  });
}
