/** What `/__emulator/config` answers: the installed app as the emulator's Node half sees it. */
export interface EmulatorConfig {
  addonKey: string;
  appName: string;
  appBaseUrl: string;
  productBaseUrl: string;
  scopes: string[];
  modules: {
    key: string;
    name: string;
    /** Dialogs are not shown on the page: the app opens them with `AP.dialog.create({ key })`. */
    kind: 'macro' | 'page' | 'dialog';
    url: string;
    /** A macro's custom editor from the descriptor (sizes are CSS lengths). */
    editor?: { url: string; title: string; insertTitle: string; width: string; height: string };
    /** A dialog module's descriptor `options`: the defaults of `AP.dialog.create` for its key. */
    dialogOptions?: Record<string, unknown>;
  }[];
  install: { ok: boolean; status: number; detail?: string };
}

export function fetchEmulatorConfig(): Promise<EmulatorConfig> {
  return fetchJson<EmulatorConfig>('/__emulator/config');
}

/** GET a `/__emulator/` route; its `{ error: { message } }` answer becomes the thrown message. */
export async function fetchJson<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const query = new URLSearchParams(params).toString();
  const res = await fetch(query ? `${path}?${query}` : path);
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `${path} answered ${res.status}`);
  return body;
}
