import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { fromCallback, notSupported } from '../internal/host-calls.js';
import { useKit, type KitValue } from '../internal/kit-context.js';
import { useHostQuery } from '../internal/useHostQuery.js';

export interface MacroApi<P> {
  getMacroData(): Promise<P>;
  getMacroBody(): Promise<string>;
  saveMacro(params: P, body?: string): Promise<void>;
  closeMacroEditor(): Promise<void>;
}

function connectMacroApi<P>(macro: NonNullable<NonNullable<KitValue['ap']>['confluence']>, timeoutMs: number) {
  const api: MacroApi<P> = {
    getMacroData: () => fromCallback<P>((resolve) => macro.getMacroData((data) => resolve(data ?? {})), timeoutMs),
    getMacroBody: () => fromCallback<string>((resolve) => macro.getMacroBody(resolve), timeoutMs),
    saveMacro: async (params, body) => macro.saveMacro(params as object, body),
    closeMacroEditor: async () => macro.closeMacroEditor(),
  };
  return api;
}

// Forge keeps macro parameters in the extension's `config`; its config view saves with `view.submit({ config })`.
function forgeMacroApi<P>(bridge: KitValue['bridge']): MacroApi<P> {
  const view = bridge?.view;
  const unsupported = () => notSupported('macro');
  return {
    getMacroData: () => {
      if (!view) return unsupported();
      return view.getContext().then((context) => context.extension?.config ?? {});
    },
    getMacroBody: () => {
      if (!bridge?.getMacroContent) return unsupported();
      return bridge.getMacroContent().then((content) => content.data);
    },
    saveMacro: (config) => view?.submit?.({ config }) ?? unsupported(),
    closeMacroEditor: () => view?.close?.() ?? unsupported(),
  };
}

function macroApi<P>({ ap, bridge, timeoutMs }: KitValue): MacroApi<P> {
  if (ap?.confluence) return connectMacroApi<P>(ap.confluence, timeoutMs);
  return forgeMacroApi<P>(bridge);
}

const MACRO_KEY = ['confluence', 'macro'];

/**
 * Typed macro parameters plus promise versions of the macro calls, in the macro view and the macro
 * editor alike. `params` follows `saveMacro`.
 *
 * @example
 * const { params, saveMacro, closeMacroEditor } = useMacro<{ label: string }>();
 * const onSave = () => saveMacro({ label: 'runbook' }).then(closeMacroEditor);
 */
export function useMacro<P extends object = Record<string, string>>() {
  const kit = useKit();
  const queryClient = useQueryClient();
  // Stable functions across renders, so they can sit in effect dependencies (e.g. an editor's Escape handler).
  const api = useMemo(() => {
    const hostApi = macroApi<P>(kit);
    const saveMacro = async (params: P, body?: string) => {
      await hostApi.saveMacro(params, body);
      queryClient.setQueryData(MACRO_KEY, params);
    };
    return { ...hostApi, saveMacro };
  }, [kit, queryClient]);
  const { data, isPending, error } = useHostQuery(MACRO_KEY, api.getMacroData);
  return { ...api, params: data, isPending, error };
}
