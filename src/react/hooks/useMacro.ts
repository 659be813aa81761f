import { useMemo, useQueryClient } from '../deps.js';
import { fromCallback, notSupported, useKit, type KitValue } from '../context.js';
import { useHostQuery } from './useHostQuery.js';

export interface MacroApi<P> {
  getMacroData(): Promise<P>;
  getMacroBody(): Promise<string>;
  saveMacro(params: P, body?: string): Promise<void>;
  closeMacroEditor(): Promise<void>;
}

function macroApi<P>({ ap, bridge, timeoutMs }: KitValue): MacroApi<P> {
  const c = ap?.confluence;
  const view = bridge?.view;
  const no = () => notSupported('macro');
  return c
    ? {
        getMacroData: () => fromCallback<P>((resolve) => c.getMacroData((d) => resolve(d ?? {})), timeoutMs),
        getMacroBody: () => fromCallback<string>((resolve) => c.getMacroBody(resolve), timeoutMs),
        saveMacro: async (params, body) => c.saveMacro(params as object, body),
        closeMacroEditor: async () => c.closeMacroEditor(),
      }
    : {
        // Forge keeps macro parameters in the extension's `config`; its config view saves with `view.submit({config})`.
        getMacroData: () => view?.getContext().then((x) => x.extension?.config ?? {}) ?? no(),
        getMacroBody: () => bridge?.getMacroContent?.().then((x) => x.data) ?? no(),
        saveMacro: (config) => view?.submit?.({ config }) ?? no(),
        closeMacroEditor: () => view?.close?.() ?? no(),
      };
}

const MACRO_KEY = ['confluence', 'macro'];

/**
 * Typed macro parameters plus promise versions of the macro calls, in the macro view and the macro
 * editor alike. `params` follows `saveMacro`.
 */
export function useMacro<P extends object = Record<string, string>>() {
  const kit = useKit();
  const queryClient = useQueryClient();
  // Stable functions across renders, so they can sit in effect dependencies (e.g. an editor's Escape handler).
  const api = useMemo(() => {
    const host = macroApi<P>(kit);
    const saveMacro = (params: P, body?: string) =>
      host.saveMacro(params, body).then(() => void queryClient.setQueryData(MACRO_KEY, params));
    return { ...host, saveMacro };
  }, [kit, queryClient]);
  const { data, isPending, error } = useHostQuery(MACRO_KEY, api.getMacroData);
  return { ...api, params: data, isPending, error };
}
