/**
 * `--kit <spec>` → the `confluence-iframe-kit` entry of the new app's package.json: a version or range as it is
 * (`0.2.0` → `^0.2.0`), a path (a checkout, or a .tgz from `npm pack`) as `file:` with an absolute path, so CI can
 * create apps on the packed tarball before anything is published.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from './options.js';

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[\w.-]+)?$/;

/**
 * @param {string | undefined} spec what `--kit` said, if anything
 * @param {string} ownVersion this package's version: the kit of the same release by default
 * @param {string} cwd where relative paths start
 */
export function kitDependency(spec, ownVersion, cwd) {
  if (spec === undefined) return `^${ownVersion}`;
  if (spec.startsWith('file:')) return kitDependency(spec.slice('file:'.length), ownVersion, cwd);
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec) || spec.endsWith('.tgz') || spec.includes('/');
  if (looksLikePath) {
    const path = resolve(cwd, spec);
    if (!existsSync(path)) throw new UsageError(`--kit: ${spec} does not exist`);
    return `file:${path}`;
  }
  if (EXACT_VERSION.test(spec)) return `^${spec}`;
  return spec;
}
