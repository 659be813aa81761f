/**
 * The create command: options (or questions), then the app written from the templates, then what to run next.
 * A mistake of the caller's is one line on stderr and exit code 1.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { kitDependency } from './kit-dependency.js';
import { USAGE, UsageError, parseOptions } from './options.js';
import { askForMissing } from './prompt.js';
import { writeApp } from './write-app.js';

const OWN_VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/**
 * @param {string[]} args the command line after the command
 * @param {{ cwd?: string, input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream, errors?: NodeJS.WritableStream }} [io]
 * @returns {Promise<number>} the exit code
 */
export async function main(args, io = {}) {
  const { cwd = process.cwd(), input = process.stdin, output = process.stdout, errors = process.stderr } = io;
  try {
    const options = parseOptions(args);
    if (options.help) {
      output.write(`${USAGE}\n`);
      return 0;
    }
    const kit = kitDependency(options.kit, OWN_VERSION, cwd);
    const { directory, template } = await askForMissing(options, { input, output });
    const target = resolve(cwd, directory);
    writeApp({ directory: target, template, kit });
    const shown = relative(cwd, target) || '.';
    output.write(
      `Created a ${template} app in ${shown} (confluence-iframe-kit ${kit}).\n\n` +
        `Next:\n  cd ${shown}\n  npm install\n  npm run dev     # the Confluence emulator hosting your app\n` +
        `  npm test        # the macro's states on the testing kit\n\nThe app's README.md says the rest.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      errors.write(`create-confluence-iframe-kit: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
