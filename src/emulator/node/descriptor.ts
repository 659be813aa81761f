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
  };
}
interface DescriptorModule {
  key: string;
  url: string;
  name?: { value?: string };
}

export interface EmulatedModule {
  key: string;
  name: string;
  kind: 'macro' | 'page';
  /** Descriptor URL template, relative to the app baseUrl, e.g. `/macro?pageId={page.id}`. */
  url: string;
}

export function listModules(descriptor: ConnectDescriptor): EmulatedModule[] {
  const m = descriptor.modules ?? {};
  const toModule = (kind: EmulatedModule['kind']) => (d: DescriptorModule) => ({
    key: d.key,
    name: d.name?.value ?? d.key,
    kind,
    url: d.url,
  });
  return [
    ...(m.dynamicContentMacros ?? []).map(toModule('macro')),
    ...(m.staticContentMacros ?? []).map(toModule('macro')),
    ...(m.generalPages ?? []).map(toModule('page')),
  ];
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
