/** The slice of an atlassian-connect.json the emulator acts on. */
export interface ConnectDescriptor {
  key: string;
  name?: string;
  baseUrl: string;
  scopes?: string[];
  lifecycle?: { installed?: string; uninstalled?: string };
  modules?: {
    dynamicContentMacros?: DescriptorModule[];
    staticContentMacros?: DescriptorModule[];
    generalPages?: DescriptorModule[];
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

export interface EmulatedModule {
  key: string;
  name: string;
  kind: 'macro' | 'page' | 'dialog';
  /** Descriptor URL template, relative to the app baseUrl, e.g. `/macro?pageId={page.id}`. */
  url: string;
  editor?: MacroEditor;
  /** A dialog module's descriptor `options`, as Confluence hands them to connect-host (`_AP.dialogModules`). */
  dialogOptions?: Record<string, unknown>;
}

export function listModules(descriptor: ConnectDescriptor): EmulatedModule[] {
  const m = descriptor.modules ?? {};
  const toModule =
    (kind: EmulatedModule['kind']) =>
    (d: DescriptorModule): EmulatedModule => {
      const name = d.name?.value ?? d.key;
      const module: EmulatedModule = { key: d.key, name, kind, url: d.url };
      if (kind === 'macro' && d.editor?.url) {
        // Titles and size are optional in the descriptor; the sizes end up in the page's CSS, so only lengths pass.
        module.editor = {
          url: d.editor.url,
          title: d.editor.editTitle?.value ?? `Edit ${name}`,
          insertTitle: d.editor.insertTitle?.value ?? `Insert ${name}`,
          width: cssLength(d.editor.width, '640px'),
          height: cssLength(d.editor.height, '480px'),
        };
      }
      if (kind === 'dialog') module.dialogOptions = { ...d.options };
      return module;
    };
  return [
    ...(m.dynamicContentMacros ?? []).map(toModule('macro')),
    ...(m.staticContentMacros ?? []).map(toModule('macro')),
    ...(m.generalPages ?? []).map(toModule('page')),
    ...(m.dialogs ?? []).map(toModule('dialog')),
  ];
}

function cssLength(value: string | undefined, fallback: string): string {
  if (value && /^\d{1,4}(px|%)$/.test(value)) return value;
  if (value && /^\d{1,4}$/.test(value)) return `${value}px`;
  return fallback;
}

export async function fetchDescriptor(appBaseUrl: string): Promise<ConnectDescriptor> {
  const res = await fetch(new URL('atlassian-connect.json', appBaseUrl.replace(/\/?$/, '/')));
  if (!res.ok) throw new Error(`descriptor: GET ${res.url} answered ${res.status}`);
  return (await res.json()) as ConnectDescriptor;
}

/** Confluence's URL-variable substitution: known `{name}` values are encoded, unknown ones become empty. */
export function substituteUrlVariables(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{([a-zA-Z0-9_.]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}
