/**
 * `confluence-iframe-kit emulate --app <descriptor URL>` / `--forge <manifest.yml>`: the Confluence emulator hosting
 * any Connect app, Forge Custom UI app, or Connect app adopted onto Forge (bin.ts runs it). Prints `Emulator: <url>`
 * on its own line once the app is installed. A bad option, manifest or unreachable descriptor is one line on stderr
 * and exit code 1.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createWorld, type WorldSeed } from '../src/testing/core';
import type { RequestHandler } from 'msw';
import { loadExtraHandlers } from './node/extra-handlers';
import { CLOUD_LIKE_LATENCY, MAX_LATENCY_MS, parseLatency, type Latency } from './latency';
import { readForgeManifest, type ForgeManifest } from './node/forge-manifest';
import { isPortFree } from './node/ports';
import { startEmulator, type RunningEmulator } from './node/start-emulator';

const DEFAULT_PORT = 5173;
const HIGHEST_PORT = 65_535;

export const USAGE = `Usage: confluence-iframe-kit emulate --app <descriptor URL> [options]
       confluence-iframe-kit emulate --forge <manifest.yml> [--app <descriptor URL>] [options]

Hosts a Connect app in a local Confluence emulator: installs it (signed RS256, from the emulator's own key
server), then serves a Confluence page that hosts its modules with connect-host.js and the real all.js.
With --forge, hosts a Forge app's Custom UI resources (their built index.html) with the app's own
@forge/bridge over the emulator's bridge: requestConfluence answers from the emulated site as the acting
user, invokeRemote/requestRemote reach the manifest's remotes with invocation tokens signed by the
emulator's JWKS (printed at start), and invoke() runs the manifest's functions (src/, bundled with
esbuild) in this process: @forge/api's asUser()/asApp().requestConfluence and @forge/kvs storage work.

Options:
  --app <url>        the app's descriptor, e.g. http://localhost:3000/atlassian-connect.json
                     (required unless --forge is given; with --forge: an app adopted onto Forge)
  --forge <file>     the Forge app's manifest.yml: its macro, confluence:globalPage, confluence:spacePage
                     and confluence:contentBylineItem modules with a Custom UI resource, macro config
                     resources and Modal resources; resource paths are relative to the manifest
  --port <number>    the emulator's port (default ${DEFAULT_PORT}; 0 picks a free one)
  --data <dir>       keep the emulated tenant (client key, shared secret) and Forge storage here across runs
  --user <name>      the acting user to start with: admin, editor, viewer, noAccess, or an accountId of --site
  --site <file>      a JSON file with the site's content, as the testing kit's createWorld takes it
                     (users, spaces, pages, scopes, blockedSpaceIds, contentProperties)
  --handlers <file>  an ES module exporting an array of msw handlers (default or named "handlers") for
                     endpoints the emulator lacks; they answer the app's REST calls before the site
  --latency <ms>     delay each REST answer (AP.request, requestConfluence, the backend's REST) by this many
                     ms, or by a random time in a range: <min>-<max>. Default 0; like Confluence Cloud: ${CLOUD_LIKE_LATENCY}
  --help             this text`;

/** A mistake of the caller's: printed as one line, exit code 1. */
class UsageError extends Error {}

interface CliOptions {
  descriptorUrl?: string;
  forgeManifest?: ForgeManifest;
  port: number;
  dataDir?: string;
  actingUser?: string;
  site?: WorldSeed;
  handlers?: RequestHandler[];
  latencyMs?: Latency;
}

async function readSite(file: string): Promise<WorldSeed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--site: cannot read ${file}`);
  }
  let site: unknown;
  try {
    site = JSON.parse(text);
  } catch {
    throw new UsageError(`--site: ${file} is not JSON`);
  }
  if (!site || typeof site !== 'object' || Array.isArray(site))
    throw new UsageError(`--site: ${file} is not an object`);
  return site as WorldSeed;
}

export async function parseCliArguments(args: string[]): Promise<CliOptions | 'help'> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        app: { type: 'string' },
        forge: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        user: { type: 'string' },
        site: { type: 'string' },
        handlers: { type: 'string' },
        latency: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (!values.app && !values.forge) {
    throw new UsageError('--app <descriptor URL> or --forge <manifest.yml> is required (see --help)');
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > HIGHEST_PORT) {
    throw new UsageError(`--port: "${values.port}" is not a port number`);
  }
  const options: CliOptions = { port };
  if (values.app) {
    let descriptorUrl: URL;
    try {
      descriptorUrl = new URL(values.app);
    } catch {
      throw new UsageError(`--app: "${values.app}" is not a URL`);
    }
    if (descriptorUrl.protocol !== 'http:' && descriptorUrl.protocol !== 'https:') {
      throw new UsageError('--app: the descriptor URL must be http or https');
    }
    options.descriptorUrl = descriptorUrl.toString();
  }
  // Its errors (unreadable, not YAML, nothing to host) are one line that starts with --forge.
  if (values.forge) options.forgeManifest = await readForgeManifest(values.forge);
  if (values.data) options.dataDir = values.data;
  if (values.user) options.actingUser = values.user;
  if (values.site) options.site = await readSite(values.site);
  // Its errors (unreadable, not a module, no array of handlers) are one line that starts with --handlers.
  if (values.handlers) options.handlers = await loadExtraHandlers(values.handlers);
  if (values.latency !== undefined) {
    const latency = parseLatency(values.latency);
    if (latency === undefined) {
      throw new UsageError(
        `--latency: "${values.latency}" is not a delay in ms (0 to ${MAX_LATENCY_MS}) or a range <min>-<max>, e.g. 150 or ${CLOUD_LIKE_LATENCY}`,
      );
    }
    options.latencyMs = latency;
  }
  return options;
}

/** Runs the command; answers the exit code (0 while the emulator keeps running). */
export async function runCli(
  args: string[],
  output: { log(line: string): void; error(line: string): void } = console,
  /** The prebuilt page (the installed command); without it vite serves the page from the sources. */
  pageDir?: string,
): Promise<{ exitCode: number; close?: () => Promise<void> }> {
  const [command, ...rest] = args;
  if (command === '--help' || command === undefined) {
    output.log(USAGE);
    return { exitCode: command === undefined ? 1 : 0 };
  }
  if (command !== 'emulate') {
    output.error(`Unknown command "${command}" (try: confluence-iframe-kit emulate --help)`);
    return { exitCode: 1 };
  }
  try {
    const options = await parseCliArguments(rest);
    if (options === 'help') {
      output.log(USAGE);
      return { exitCode: 0 };
    }
    if (options.port !== 0 && !(await isPortFree(options.port))) {
      throw new UsageError(`--port: port ${options.port} is busy (choose another with --port, or 0 for a free one)`);
    }
    if (options.actingUser && !createWorld(options.site ?? {}).user(options.actingUser)) {
      throw new UsageError(`--user: the site has no user "${options.actingUser}"`);
    }
    const emulator = await startEmulator({ ...options, output, ...(pageDir ? { pageDir } : {}) });
    reportStart(emulator, output, { connect: Boolean(options.descriptorUrl) });
    return { exitCode: 0, close: emulator.close };
  } catch (error) {
    output.error(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    return { exitCode: 1 };
  }
}

/**
 * What the command prints once the emulator runs (`npm run dev` prints the same): what an app trusts in development
 * (the install key server, the authorization server for acting as a user, the Forge JWKS and app id), the site URL,
 * and last `Emulator: <url>` on a line of its own.
 */
export function reportStart(
  emulator: RunningEmulator,
  output: { log(line: string): void; error(line: string): void },
  hosted: { connect: boolean },
): void {
  if (hosted.connect) {
    output.log(`Install keys: ${emulator.installKeysUrl}`);
    // The authorization server of the JWT bearer grant: where an app that acts as users sends its grants.
    output.log(`OAuth server: ${emulator.authorizationServerUrl}`);
  }
  output.log(`Site:         ${emulator.siteUrl}`);
  if (emulator.forge) {
    output.log(`Forge JWKS:   ${emulator.forge.jwksUrl}`);
    output.log(`Forge app id: ${emulator.forge.appId}`);
    output.log(`Custom UI:    ${emulator.forge.customUiUrl}`);
  }
  if (!emulator.install.ok) {
    output.error(`The app refused the install (${emulator.install.status}): ${emulator.install.detail ?? ''}`.trim());
  }
  output.log(`Emulator: ${emulator.emulatorUrl}`);
}
