import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the dev app origin serves the Forge bridge shim (emulator/forge/iframe-bridge.ts). */
export const FORGE_SHIM_PATH = '/forge-bridge-emulator.js';

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../forge/iframe-bridge.ts');

/**
 * The shim as emulator/build.mjs ships it next to the built command (`dist/emulator/forge-bridge-emulator.js`), with
 * this string where the emulator origin goes; the same string is written in build.mjs.
 */
export const SHIM_ORIGIN_PLACEHOLDER = 'http://cik-emulator-origin.invalid';

/**
 * The shim as one classic script with the emulator's origin built in: a classic script in <head> runs before any
 * module script, so `__bridge` exists when `@forge/bridge` loads, and the origin the shim trusts is fixed by the
 * server rather than read from a URL the framing page could choose. The installed command reads the prebuilt copy;
 * from the sources it is bundled here with esbuild (a devDependency, so loaded only then).
 */
export async function buildForgeShim(emulatorOrigin: string): Promise<string> {
  const origin = JSON.stringify(new URL(emulatorOrigin).origin);
  const prebuilt = fileURLToPath(new URL('./forge-bridge-emulator.js', import.meta.url));
  if (existsSync(prebuilt)) {
    return (await readFile(prebuilt, 'utf8')).replaceAll(JSON.stringify(SHIM_ORIGIN_PLACEHOLDER), origin);
  }
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    define: { __CIK_EMULATOR_ORIGIN__: origin },
  });
  return result.outputFiles[0]!.text;
}

/** The shim goes first in <head>: before vite's client and before the app's module script. */
export function withForgeShim(html: string): string {
  const tag = `<script src="${FORGE_SHIM_PATH}"></script>`;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) throw new Error('the Custom UI page has no <head> to put the Forge bridge shim in');
  return html.slice(0, head.index + head[0].length) + tag + html.slice(head.index + head[0].length);
}
