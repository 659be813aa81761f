import { useQuery, useQueryClient } from '@tanstack/react-query';
import { fromCallback, notSupported, useKit, type KitValue } from '../context';

export interface MacroApi<P> {
  getMacroData(): Promise<P>;
  getMacroBody(): Promise<string>;
  saveMacro(params: P, body?: string): Promise<void>;
  closeMacroEditor(): Promise<void>;
}

function macroApi<P>({ ap, bridge, timeoutMs }: KitValue): MacroApi<P> {
  const c = ap?.confluence;
  if (c) {
    return {
      getMacroData: () => fromCallback<P>((cb) => c.getMacroData((d) => cb(d ?? {})), timeoutMs, 'AP.confluence.getMacroData'),
      getMacroBody: () => fromCallback<string>((cb) => c.getMacroBody(cb), timeoutMs, 'AP.confluence.getMacroBody'),
      saveMacro: async (params, body) => c.saveMacro(params as object, body),
      closeMacroEditor: async () => c.closeMacroEditor(),
    };
  }
  const view = bridge?.view;
  return {
    // Forge keeps macro parameters in the extension's `config`; the config view saves with `view.submit({config})`.
    getMacroData: () => (view ? view.getContext().then((x) => x?.extension?.config ?? {}) : notSupported('getMacroData')),
    getMacroBody: () => (bridge?.getMacroContent ? bridge.getMacroContent().then((x) => x.data) : notSupported('getMacroBody')),
    saveMacro: (config) => (view?.submit ? view.submit({ config }) : notSupported('saveMacro')),
    closeMacroEditor: () => (view?.close ? view.close() : notSupported('closeMacroEditor')),
  };
}

/**
 * Typed macro parameters plus promise versions of the macro calls, in the macro view and the macro
 * editor alike. `params` reloads after `saveMacro`.
 */
export function useMacro<P extends object = Record<string, string>>() {
  const kit = useKit();
  const queryClient = useQueryClient();
  const api = macroApi<P>(kit);
  const query = useQuery({
    queryKey: ['confluence', 'macro'],
    queryFn: api.getMacroData,
    enabled: kit.status === 'ready',
    staleTime: Infinity,
    retry: false,
  });
  const saveMacro = async (params: P, body?: string) => {
    await api.saveMacro(params, body);
    queryClient.setQueryData(['confluence', 'macro'], params);
  };
  return { ...api, saveMacro, params: query.data, isPending: query.isPending, error: query.error };
}
