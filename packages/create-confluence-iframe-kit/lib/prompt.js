/**
 * Asks for what the command line left out, with node:readline: the directory and the template. Only on a terminal;
 * without one (CI, a pipe) a missing answer is a usage error, never a hang.
 */
import { createInterface } from 'node:readline/promises';
import { TEMPLATES, UsageError } from './options.js';

/**
 * @param {{ directory?: string, template?: string }} given
 * @param {{ input: NodeJS.ReadableStream & { isTTY?: boolean }, output: NodeJS.WritableStream }} streams
 * @returns {Promise<{ directory: string, template: string }>}
 */
export async function askForMissing(given, { input, output }) {
  if (given.directory !== undefined && given.template !== undefined) {
    return { directory: given.directory, template: given.template };
  }
  if (!input.isTTY) {
    throw new UsageError('no terminal to ask on: pass the directory and --template forge|connect|adopted');
  }
  const readline = createInterface({ input, output });
  try {
    let directory = given.directory;
    while (!directory)
      directory =
        (await readline.question('Directory for the new app: (my-confluence-app) ')).trim() || 'my-confluence-app';
    let template = given.template;
    const names = Object.keys(TEMPLATES);
    while (template === undefined) {
      output.write('Which kind of app?\n');
      names.forEach((name, index) => output.write(`  ${index + 1}. ${name}: ${TEMPLATES[name]}\n`));
      const answer = (await readline.question(`Number or name: (1) `)).trim() || '1';
      template = names.find((name, index) => answer === name || answer === String(index + 1));
      if (template === undefined) output.write(`"${answer}" is not one of them.\n`);
    }
    return { directory, template };
  } finally {
    readline.close();
  }
}
