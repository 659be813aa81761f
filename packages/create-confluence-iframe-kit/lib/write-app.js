/**
 * Writes a new app from the templates in this package (no network): the template's layers in order, later layers
 * replacing files of earlier ones, with the app's name, Connect key and kit dependency filled in.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './options.js';

const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');

/** Which template folders make each app, in order. */
const LAYERS = {
  forge: ['shared', 'forge'],
  connect: ['shared', 'connect-backend', 'connect'],
  adopted: ['shared', 'connect-backend', 'adopted'],
};

/**
 * npm never packs a file named .gitignore (it would become .npmignore), so templates store dot files with a
 * leading underscore.
 */
const RENAMED = { _gitignore: '.gitignore', _npmrc: '.npmrc' };

/** A name npm accepts for a package: lower case, no spaces. */
export function packageNameFor(directory) {
  const name = basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'my-confluence-app';
}

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * @param {{ directory: string, template: keyof typeof LAYERS, kit: string }} app
 * @returns {string[]} the files written, relative to the app's directory
 */
export function writeApp({ directory, template, kit }) {
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new UsageError(`${directory} is not empty: choose a new directory`);
  }
  const name = packageNameFor(directory);
  const replacements = {
    '%APP_NAME%': name,
    '%APP_KEY%': `com.example.${name.replace(/[^a-z0-9]+/g, '-')}`,
    '%KIT_DEPENDENCY%': kit,
  };
  const files = new Map();
  for (const layer of LAYERS[template]) {
    const root = join(TEMPLATES_DIR, layer);
    for (const source of filesUnder(root)) {
      const path = relative(root, source)
        .split(/[\\/]/)
        .map((part) => RENAMED[part] ?? part)
        .join('/');
      files.set(path, source);
    }
  }
  for (const [path, source] of files) {
    let text = readFileSync(source, 'utf8');
    for (const [token, value] of Object.entries(replacements)) text = text.replaceAll(token, value);
    const target = join(directory, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return [...files.keys()].sort();
}
