import { useQueryClient } from '../deps';
import { fromCallback, notSupported, useKit, type KitValue } from '../context';
import { useHostQuery } from './useHostQuery';

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

/**
 * Typed macro parameters plus promise versions of the macro calls, in the macro view and the macro
 * editor alike. `params` follows `saveMacro`.
 */
export function useMacro<P extends object = Record<string, string>>() {
  const kit = useKit();
  const queryClient = useQueryClient();
  const api = macroApi<P>(kit);
  const queryKey = ['confluence', 'macro'];
  const { data, isPending, error } = useHostQuery(queryKey, api.getMacroData);
  const saveMacro = (params: P, body?: string) => api.saveMacro(params, body).then(() => void queryClient.setQueryData(queryKey, params));
  return { ...api, saveMacro, params: data, isPending, error };
}
