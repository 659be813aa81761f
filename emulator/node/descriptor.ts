import type { ForgeModuleType } from './forge-manifest';

/** The slice of an atlassian-connect.json the emulator acts on. */
export interface ConnectDescriptor {
  key: string;
  name?: string;
  baseUrl: string;
  scopes?: string[];
  /** `none`: a static app; Confluence signs nothing it sends the app (no JWT on its iframe URLs). */
  authentication?: { type?: string };
  /** Without an `installed` route Confluence sends no install: the app keeps no tenant. */
  lifecycle?: { installed?: string; uninstalled?: string };
  modules?: {
    dynamicContentMacros?: DescriptorModule[];
    staticContentMacros?: DescriptorModule[];
    generalPages?: DescriptorModule[];
    adminPages?: DescriptorModule[];
    dialogs?: DescriptorModule[];
  };
}
interface DescriptorModule {
  key: string;
  url: string;
  name?: { value?: string };
  /** A macro's custom editor (`dynamicContentMacros[].editor`). */
  editor?: {
    url: string;
    editTitle?: { value?: string };
    insertTitle?: { value?: string };
    width?: string;
    height?: string;
  };
  /** A macro's parameters; a `defaultValue` is what a new macro starts with. */
  parameters?: { identifier?: string; defaultValue?: unknown }[];
  /** A `dialogs` module's defaults for `AP.dialog.create` (size, width, height, chrome, header, closeOnEscape…). */
  options?: Record<string, unknown>;
}

export interface MacroEditor {
  /** URL template, substituted like the macro's own. */
  url: string;
  title: string;
  insertTitle: string;
  width: string;
  height: string;
}

/** The descriptor's `modules` sections that hold iframe modules the emulator can show. */
export type IframeModuleType =
  'dynamicContentMacros' | 'staticContentMacros' | 'generalPages' | 'adminPages' | 'dialogs';

export interface EmulatedModule {
  key: string;
  name: string;
  kind: 'macro' | 'page' | 'dialog';
  moduleType: IframeModuleType;
  /** Descriptor URL template, relative to the app baseUrl, e.g. `/macro?pageId={page.id}`. */
  url: string;
  editor?: MacroEditor;
  /** A dialog module's descriptor `options`, as Confluence hands them to connect-host (`_AP.dialogModules`). */
  dialogOptions?: Record<string, unknown>;
  /** A macro's parameters when it is first put on a page: its parameters' `defaultValue`s. */
  defaultParameters?: Record<string, string>;
  /**
   * A Forge Custom UI module from `--forge manifest.yml`: always hosted through the Forge bridge, whatever the page's
   * host switch says; `url` is then the resource's path on the emulator's Custom UI origin.
   */
  forge?: { type: ForgeModuleType; resource: string };
}

const KIND_OF: Record<IframeModuleType, EmulatedModule['kind']> = {
  dynamicContentMacros: 'macro',
  staticContentMacros: 'macro',
  generalPages: 'page',
  adminPages: 'page',
  dialogs: 'dialog',
};

/** Every iframe module of the descriptor, in the order of `KIND_OF`, then descriptor order. */
export function listModules(descriptor: ConnectDescriptor): EmulatedModule[] {
  const sections = descriptor.modules ?? {};
  const toModule =
    (moduleType: IframeModuleType) =>
    (declared: DescriptorModule): EmulatedModule => {
      const kind = KIND_OF[moduleType];
      const name = declared.name?.value ?? declared.key;
      const module: EmulatedModule = { key: declared.key, name, kind, moduleType, url: declared.url };
      if (kind === 'macro') {
        module.defaultParameters = defaultParameters(declared);
        if (declared.editor?.url) {
          // Titles and size are optional in the descriptor; the sizes end up in the page's CSS, so only lengths pass.
          module.editor = {
            url: declared.editor.url,
            title: declared.editor.editTitle?.value ?? `Edit ${name}`,
            insertTitle: declared.editor.insertTitle?.value ?? `Insert ${name}`,
            width: cssLength(declared.editor.width, '640px'),
            height: cssLength(declared.editor.height, '480px'),
          };
        }
      }
      if (kind === 'dialog') module.dialogOptions = { ...declared.options };
      return module;
    };
  return (Object.keys(KIND_OF) as IframeModuleType[]).flatMap((moduleType) =>
    (sections[moduleType] ?? []).filter(isIframeModule).map(toModule(moduleType)),
  );
}

/** A module the emulator can show: a key and a URL (a static macro without `url` renders no iframe). */
function isIframeModule(declared: DescriptorModule): boolean {
  return typeof declared?.key === 'string' && typeof declared.url === 'string';
}

function defaultParameters(declared: DescriptorModule): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const parameter of declared.parameters ?? []) {
    if (typeof parameter.identifier !== 'string' || parameter.defaultValue === undefined) continue;
    defaults[parameter.identifier] = String(parameter.defaultValue);
  }
  return defaults;
}

function cssLength(value: string | undefined, fallback: string): string {
  if (value && /^\d{1,4}(px|%)$/.test(value)) return value;
  if (value && /^\d{1,4}$/.test(value)) return `${value}px`;
  return fallback;
}

/** `authentication: { type: 'none' }`: the app verifies nothing, so Confluence sends it no JWT. */
export function signsRequests(descriptor: ConnectDescriptor): boolean {
  return descriptor.authentication?.type?.toLowerCase() !== 'none';
}

/** The descriptor at `descriptorUrl`; an answer that is not a descriptor is refused with a one-line reason. */
export async function fetchDescriptor(descriptorUrl: string): Promise<ConnectDescriptor> {
  let response: Response;
  try {
    response = await fetch(descriptorUrl);
  } catch (error) {
    throw new Error(`descriptor: cannot reach ${descriptorUrl} (${networkReason(error)})`, { cause: error });
  }
  if (!response.ok) throw new Error(`descriptor: GET ${descriptorUrl} answered ${response.status}`);
  let descriptor: unknown;
  try {
    descriptor = await response.json();
  } catch {
    throw new Error(`descriptor: ${descriptorUrl} is not JSON`);
  }
  const { key, baseUrl } = (descriptor ?? {}) as Partial<ConnectDescriptor>;
  if (typeof key !== 'string' || typeof baseUrl !== 'string') {
    throw new Error(`descriptor: ${descriptorUrl} has no "key" and "baseUrl"`);
  }
  return descriptor as ConnectDescriptor;
}

/** Confluence's URL-variable substitution: known `{name}` values are encoded, unknown ones become empty. */
export function substituteUrlVariables(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{([a-zA-Z0-9_.]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** The short reason a fetch failed (`ECONNREFUSED`, `ENOTFOUND`…), not the whole error chain. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
