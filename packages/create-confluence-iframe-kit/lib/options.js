/**
 * The command line: `create-confluence-iframe-kit [directory] [--template forge|connect|adopted] [--kit <spec>]`.
 * Whatever is missing is asked for later (lib/prompt.js); with every answer given, nothing is asked.
 */
import { parseArgs } from 'node:util';

/** The kinds of app the templates make, in the order the prompt lists them. */
export const TEMPLATES = {
  forge: 'Forge Custom UI macro, with a resolver (@forge/resolver) and manifest.yml',
  connect: 'Connect macro with a backend (descriptor, JWT-verified routes, SQLite tenant store)',
  adopted: 'Connect app adopted onto Forge: the Connect macro plus a Forge manifest, one backend for both',
};

export const USAGE = `Usage: npm create confluence-iframe-kit@latest [directory] -- [options]
       npx create-confluence-iframe-kit [directory] [options]

Creates a Confluence Cloud app on confluence-iframe-kit in a new directory: React UI, tests on the
testing kit, \`npm run dev\` in the local Confluence emulator. Nothing is downloaded while creating;
\`npm install\` afterwards fetches the dependencies.

Options:
  --template <name>  ${Object.keys(TEMPLATES).join(' | ')}
${Object.entries(TEMPLATES)
  .map(([name, what]) => `                       ${name}: ${what}`)
  .join('\n')}
  --kit <spec>       which confluence-iframe-kit the app depends on: a version or range (default: this
                     package's own version), a path to a checkout or a .tgz from npm pack
  --help             this text`;

/** A mistake of the caller's: printed as one line, exit code 1. */
export class UsageError extends Error {}

/**
 * @param {string[]} args
 * @returns {{ help: true } | { help: false, directory?: string, template?: string, kit?: string }}
 */
export function parseOptions(args) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        template: { type: 'string', short: 't' },
        kit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) return { help: true };
  if (parsed.positionals.length > 1) {
    throw new UsageError(`one directory at a time, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  }
  const template = parsed.values.template;
  if (template !== undefined && !Object.hasOwn(TEMPLATES, template)) {
    throw new UsageError(`--template must be one of ${Object.keys(TEMPLATES).join(', ')}; got "${template}"`);
  }
  if (parsed.values.kit !== undefined && parsed.values.kit.trim() === '') throw new UsageError('--kit needs a value');
  return { help: false, directory: parsed.positionals[0], template, kit: parsed.values.kit };
}
