import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ConnectScope } from '../../src/testing/core';
import { forgeModalModule } from '../emulator-config';
import type { EmulatedModule } from './descriptor';
import { remoteTokenRequestOf, type RemoteTokenRequest } from './forge-remote-tokens';

/**
 * The slice of a Forge `manifest.yml` the emulator acts on: the Custom UI `resources`, the Confluence modules that
 * show them, the `remotes` that `invokeRemote` / `requestRemote` reach, and the permissions that shape the Custom UI
 * content security policy and the app's product scopes.
 */
export interface ForgeManifest {
  /** The manifest's `app.id` (an ARI), or a stand-in when the manifest has none yet. */
  appId: string;
  /** Custom UI resources by key: the absolute folder holding the built `index.html`. */
  resources: Map<string, string>;
  /** The Confluence modules that show a Custom UI resource, as the emulator page lists them. */
  modules: EmulatedModule[];
  /** Forge remotes by key: their `baseUrl`. */
  remotes: Map<string, string>;
  /** The product tokens each remote asks for (`auth.appUserToken` / `auth.appSystemToken`), by remote key. */
  remoteTokens?: Map<string, RemoteTokenRequest>;
  /** Which remote each module's `invokeRemote` reaches (module key → remote key), from `resolver.endpoint`. */
  moduleRemotes: Map<string, string>;
  /** The manifest's `function` modules: function key → `handler` (`index.handler` = export `handler` of src/index). */
  functions: Map<string, string>;
  /** Which function answers each module's `invoke()` (module key → function key), from `resolver.function`. */
  moduleFunctions: Map<string, string>;
  /** The folder holding the manifest: the app's `src/` (its functions' sources) is under it, as the Forge CLI reads it. */
  directory: string;
  /** The app's product scopes as the emulated site understands them (`read:*` → READ, `write:*` → WRITE, …). */
  scopes: ConnectScope[];
  /** `permissions.scopes` as the manifest names them (a function's `getAppContext().permissions`). */
  scopeNames: string[];
  /** The Custom UI content security policy Forge would apply, from `permissions.content` and `permissions.external`. */
  contentSecurityPolicy: string;
}

/** A manifest the emulator cannot use: the message is one line naming the file and the reason. */
export class ForgeManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForgeManifestError';
  }
}

/** The Forge module types the emulator hosts, and how its page shows each. */
const HOSTED_MODULE_TYPES = {
  macro: { kind: 'macro', moduleType: 'dynamicContentMacros' },
  'confluence:globalPage': { kind: 'page', moduleType: 'generalPages' },
  'confluence:spacePage': { kind: 'page', moduleType: 'generalPages' },
  'confluence:contentBylineItem': { kind: 'page', moduleType: 'generalPages' },
} as const satisfies Record<string, Pick<EmulatedModule, 'kind' | 'moduleType'>>;

export type ForgeModuleType = keyof typeof HOSTED_MODULE_TYPES | 'modal';

/** Resource and module keys end up in URL paths: Forge's own key rule keeps them plain. */
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
/** A function's `handler`: a file under src/ (no `..`, no leading `/`), the last dot, the export's name. */
const HANDLER = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]*\.[A-Za-z_$][A-Za-z0-9_$]*$/;
/** A macro's config dialog when the manifest gives no `viewportSize`. */
const CONFIG_WIDTH = '640px';
const CONFIG_HEIGHT = '480px';
/** Product scope prefixes → the emulated site's scope (the kit's world knows Connect's READ/WRITE/DELETE). */
const SCOPE_PREFIXES: [string, ConnectScope][] = [
  ['read:', 'READ'],
  ['write:', 'WRITE'],
  ['delete:', 'DELETE'],
];

type Yaml = Record<string, unknown>;

function isRecord(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Yaml[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `title` is a string, or `{ i18n: key }` in a translated manifest (then the module key stands in). */
function titleOf(declared: Yaml, fallback: string): string {
  return typeof declared.title === 'string' && declared.title ? declared.title : fallback;
}

/**
 * The Custom UI CSP as Forge builds it: everything from the resource's own origin, plus what the manifest's
 * `permissions` declare. Sent report-only, so a team sees in the browser console what Forge would block.
 */
function contentSecurityPolicy(permissions: Yaml): string {
  const content = isRecord(permissions.content) ? permissions.content : {};
  const external = isRecord(permissions.external) ? permissions.external : {};
  const externalOf = (name: string): string[] => {
    const declared = external[name];
    // `fetch: { client: [...] }` for the front end; the others are plain lists (entries may be `{ address }`).
    const entries = name === 'fetch' && isRecord(declared) ? declared.client : declared;
    return (Array.isArray(entries) ? entries : [])
      .map((entry: unknown) => (isRecord(entry) ? entry.address : entry))
      .filter((entry): entry is string => typeof entry === 'string' && /^[^\s;,']+$/.test(entry));
  };
  const quoted = (keywords: string[]) => keywords.map((keyword) => `'${keyword.replace(/'/g, '')}'`);
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...quoted(strings(content.scripts)), ...externalOf('scripts')]],
    ['style-src', ["'self'", ...quoted(strings(content.styles)), ...externalOf('styles')]],
    ['img-src', ["'self'", 'data:', 'blob:', ...externalOf('images')]],
    ['font-src', ["'self'", 'data:', ...externalOf('fonts')]],
    ['media-src', ["'self'", ...externalOf('media')]],
    ['frame-src', ["'self'", ...externalOf('frames')]],
    ['connect-src', ["'self'", ...externalOf('fetch')]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

function isHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'http:' || url.protocol === 'https:';
}

function fail(file: string, reason: string): never {
  throw new ForgeManifestError(`--forge: ${file} ${reason}`);
}

/**
 * Reads a Forge `manifest.yml` for the emulator. Resource paths are relative to the manifest's folder, as the Forge
 * CLI reads them. A file that cannot be read, is not YAML, or hosts no Custom UI module is refused in one line.
 */
export async function readForgeManifest(file: string): Promise<ForgeManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    fail(file, 'cannot be read');
  }
  let manifest: unknown;
  try {
    manifest = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    fail(file, `is not YAML (${reason})`);
  }
  if (!isRecord(manifest)) fail(file, 'is not a Forge manifest (no top-level mapping)');
  const directory = path.dirname(path.resolve(file));

  const resources = new Map<string, string>();
  for (const resource of list(manifest.resources)) {
    if (typeof resource.key !== 'string' || typeof resource.path !== 'string') continue;
    if (!KEY.test(resource.key)) fail(file, `has a resource key the emulator cannot serve: "${resource.key}"`);
    resources.set(resource.key, path.resolve(directory, resource.path));
  }

  const declaredModules = isRecord(manifest.modules) ? manifest.modules : {};
  const remotes = new Map<string, string>();
  const remoteTokens = new Map<string, RemoteTokenRequest>();
  for (const remote of list(manifest.remotes)) {
    if (typeof remote.key !== 'string' || typeof remote.baseUrl !== 'string') continue;
    if (!isHttpUrl(remote.baseUrl)) fail(file, `has a remote "${remote.key}" whose baseUrl is not an http(s) URL`);
    remotes.set(remote.key, remote.baseUrl);
    remoteTokens.set(remote.key, remoteTokenRequestOf(remote));
  }
  const functions = new Map<string, string>();
  for (const declared of list(declaredModules.function)) {
    if (typeof declared.key !== 'string' || typeof declared.handler !== 'string') continue;
    if (!HANDLER.test(declared.handler))
      fail(file, `has a function "${declared.key}" whose handler is not <file>.<export>: "${declared.handler}"`);
    functions.set(declared.key, declared.handler);
  }
  const endpointRemotes = new Map<string, string>();
  for (const endpoint of list(declaredModules.endpoint)) {
    if (typeof endpoint.key === 'string' && typeof endpoint.remote === 'string')
      endpointRemotes.set(endpoint.key, endpoint.remote);
  }

  const modules: EmulatedModule[] = [];
  const moduleRemotes = new Map<string, string>();
  const moduleFunctions = new Map<string, string>();
  const shownResources = new Set<string>();
  for (const [forgeType, shown] of Object.entries(HOSTED_MODULE_TYPES)) {
    for (const declared of list(declaredModules[forgeType])) {
      const { key, resource } = declared;
      if (typeof key !== 'string' || typeof resource !== 'string' || !resources.has(resource)) continue;
      if (!KEY.test(key)) fail(file, `has a module key the emulator cannot serve: "${key}"`);
      const module: EmulatedModule = {
        key,
        name: titleOf(declared, key),
        kind: shown.kind,
        moduleType: shown.moduleType,
        url: `/${resource}/`,
        forge: { type: forgeType as ForgeModuleType, resource },
      };
      shownResources.add(resource);
      const config = isRecord(declared.config) ? declared.config : undefined;
      if (shown.kind === 'macro') {
        module.defaultParameters = {};
        if (typeof config?.resource === 'string' && resources.has(config.resource)) {
          shownResources.add(config.resource);
          const title = typeof config.title === 'string' ? config.title : `Configure ${module.name}`;
          module.editor = {
            url: `/${config.resource}/`,
            title,
            insertTitle: title,
            width: CONFIG_WIDTH,
            height: CONFIG_HEIGHT,
          };
        }
      }
      const resolver = isRecord(declared.resolver) ? declared.resolver : {};
      const remoteKey = typeof resolver.endpoint === 'string' ? endpointRemotes.get(resolver.endpoint) : undefined;
      if (remoteKey && remotes.has(remoteKey)) moduleRemotes.set(key, remoteKey);
      if (typeof resolver.function === 'string') moduleFunctions.set(key, resolver.function);
      modules.push(module);
    }
  }
  // What no module shows is what `Modal({ resource })` opens: listed as dialogs under the resource key.
  for (const resource of resources.keys()) {
    if (shownResources.has(resource) || modules.some((module) => module.key === resource)) continue;
    modules.push(forgeModalModule(resource));
  }
  if (!modules.some((module) => module.kind !== 'dialog')) {
    fail(file, 'has no Confluence module (macro, confluence:globalPage, spacePage, contentBylineItem) with a resource');
  }

  const app = isRecord(manifest.app) ? manifest.app : {};
  const permissions = isRecord(manifest.permissions) ? manifest.permissions : {};
  const scopes = new Set<ConnectScope>();
  for (const scope of strings(permissions.scopes)) {
    for (const [prefix, granted] of SCOPE_PREFIXES) if (scope.startsWith(prefix)) scopes.add(granted);
  }
  return {
    appId: typeof app.id === 'string' && app.id ? app.id : 'ari:cloud:ecosystem::app/emulated-forge-app',
    resources,
    modules,
    remotes,
    remoteTokens,
    moduleRemotes,
    functions,
    moduleFunctions,
    directory,
    scopes: [...scopes],
    scopeNames: strings(permissions.scopes),
    contentSecurityPolicy: contentSecurityPolicy(permissions),
  };
}
