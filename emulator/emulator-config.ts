import type { WorldSeed } from '../src/testing/core';
import type { PageContext } from './host/define-modules';
// Type-only: the page shares the Node side's list of module sections without loading any of its code.
import type { IframeModuleType } from './node/descriptor';
import type { ForgeModuleType } from './node/forge-manifest';

/** One iframe module of the hosted app, as the emulator page shows it. */
export interface EmulatedModuleConfig {
  key: string;
  name: string;
  /** Dialogs are opened in the page's dialog (by the app with `AP.dialog.create({ key })`, or from the controls). */
  kind: 'macro' | 'page' | 'dialog';
  /** Where the module comes from in the descriptor: the `modules` section that declares it. */
  moduleType: IframeModuleType;
  url: string;
  /** A macro's custom editor from the descriptor (sizes are CSS lengths). */
  editor?: { url: string; title: string; insertTitle: string; width: string; height: string };
  /** A dialog module's descriptor `options`: the defaults of `AP.dialog.create` for its key. */
  dialogOptions?: Record<string, unknown>;
  /** A macro's parameters when it is first put on the page (the descriptor's `defaultValue`s, or the host's seed). */
  defaultParameters?: Record<string, string>;
  /** A Forge Custom UI module of the manifest (`--forge`): hosted through the Forge bridge, from the Custom UI origin. */
  forge?: { type: ForgeModuleType; resource: string };
}

/** A manifest resource that `Modal({ resource })` opens, listed as a dialog module keyed by the resource. */
export function forgeModalModule(resource: string): EmulatedModuleConfig {
  return {
    key: resource,
    name: resource,
    kind: 'dialog',
    moduleType: 'dialogs',
    url: `/${resource}/`,
    forge: { type: 'modal', resource },
  };
}

/** What `/__emulator/config` answers: the installed app as the emulator's Node half sees it. */
export interface EmulatorConfig {
  addonKey: string;
  appName: string;
  appBaseUrl: string;
  productBaseUrl: string;
  scopes: string[];
  modules: EmulatedModuleConfig[];
  install: { ok: boolean; status?: number; detail?: string };
  /** The emulated site's content (`createWorld`'s seed); absent: the testing kit's default world. */
  site?: WorldSeed;
  /** Who acts when the page URL names nobody: an accountId or a seed user name. */
  actingUser?: string;
  /**
   * Forge mode: where the app serves its Custom UI; absent when the hosted app has no Forge side. `manifest`: the
   * modules come from a Forge manifest (`--forge`), each hosted by its own kind (Forge modules through the bridge,
   * an adopted app's Connect modules through connect-host); `only`: there is no Connect app at all; `resources`: the
   * manifest's resource keys (what `Modal({ resource })` may open).
   */
  forge?: { customUiBaseUrl: string; manifest?: boolean; only?: boolean; resources?: string[] };
}

export function fetchEmulatorConfig(): Promise<EmulatorConfig> {
  return fetchJson<EmulatorConfig>('/__emulator/config');
}

/**
 * POST to a `/__emulator/` route, its parameters as a JSON object; its `{ error: { message } }` answer becomes the
 * thrown message. POSTs, because the Node half hands these answers (tokens, the site) only to a request that shows it
 * comes from this page (emulator/node/request-guard.ts).
 */
export async function fetchJson<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}`);
  return body;
}

/** The page context as the `/__emulator/` routes take it. */
export function contextParams(context: PageContext): Record<string, string> {
  return {
    user: context.accountId,
    pageId: context.pageId,
    pageVersion: String(context.pageVersion),
    spaceId: context.spaceId,
    spaceKey: context.spaceKey,
    macroId: context.macroId,
  };
}

/** Macro parameters as `/__emulator/iframe-url` takes them (`p.<identifier>`). */
export function macroParams(parameters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).map(([name, value]) => [`p.${name}`, value]));
}

/** Signs the module's URL on the Node half (`surface: 'editor'` for a macro's custom editor). */
export async function signedModuleUrl(
  moduleKey: string,
  context: PageContext,
  options: { editor?: boolean; parameters?: Record<string, string> } = {},
): Promise<string> {
  const { url } = await fetchJson<{ url: string }>('/__emulator/iframe-url', {
    module: moduleKey,
    ...(options.editor ? { editor: '1' } : {}),
    ...contextParams(context),
    ...macroParams(options.parameters ?? {}),
  });
  return url;
}
