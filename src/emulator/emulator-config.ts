/** What `/__emulator/config` answers: the installed app as the emulator's Node half sees it. */
export interface EmulatorConfig {
  addonKey: string;
  appName: string;
  appBaseUrl: string;
  productBaseUrl: string;
  scopes: string[];
  modules: { key: string; name: string; kind: 'macro' | 'page'; url: string }[];
  install: { ok: boolean; status: number; detail?: string };
}

export async function fetchEmulatorConfig(): Promise<EmulatorConfig> {
  const res = await fetch('/__emulator/config');
  const body = (await res.json()) as EmulatorConfig | { error: { message: string } };
  if ('error' in body) throw new Error(body.error.message);
  return body;
}

export async function fetchJson<T>(path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${path}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `${path} answered ${res.status}`);
  return body;
}
