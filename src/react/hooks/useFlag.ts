import { useMemo } from '../deps';
import { notSupported, useKit, type KitValue } from '../context';

export interface FlagOptions {
  title: string;
  body?: string;
  /** The icon. Default `info`. */
  type?: 'info' | 'success' | 'warning' | 'error';
  /** `auto` dismisses itself after a few seconds; `manual` (the default on both hosts) waits for the user. */
  close?: 'auto' | 'manual';
  actions?: { text: string; onClick(): void }[];
}

export interface ShownFlag {
  close(): Promise<void>;
}

let flagCount = 0;
// Connect reports an action click as a `flag.action` event carrying only the action's key. Keys unique
// to each flag let one listener per AP route a click to its own onClick without the host's flag id.
const actionsByKey = new Map<string, () => void>();
const listening = new WeakSet<object>();

function showFlag({ ap, bridge }: KitValue, options: FlagOptions): Promise<ShownFlag> {
  const { title, body, type = 'info', close = 'manual', actions = [] } = options;
  const id = `cik-flag-${++flagCount}`;
  if (ap?.flag) {
    const keys = actions.map((action, i) => {
      actionsByKey.set(`${id}-${i}`, action.onClick);
      return `${id}-${i}`;
    });
    if (keys.length && ap.events && !listening.has(ap)) {
      listening.add(ap);
      ap.events.on('flag.action', (e: { actionIdentifier?: string }) => actionsByKey.get(e?.actionIdentifier!)?.());
    }
    const flag = ap.flag.create({ title, body, type, close, ...(keys.length && { actions: Object.fromEntries(keys.map((k, i) => [k, actions[i]!.text])) }) });
    return Promise.resolve({
      close: async () => {
        keys.forEach((k) => actionsByKey.delete(k));
        flag.close();
      },
    });
  }
  if (bridge?.showFlag) {
    const flag = bridge.showFlag({ id, title, description: body, type, isAutoDismiss: close == 'auto', actions });
    return Promise.resolve({ close: () => flag.close().then(() => {}) });
  }
  return notSupported('Flags');
}

/**
 * A host flag (toast) on either host: `AP.flag.create` on Connect, `showFlag` on Forge. Standalone pages
 * have no host to show it: the promise rejects with `NOT_SUPPORTED`, so the app can fall back.
 */
export function useFlag(): (options: FlagOptions) => Promise<ShownFlag> {
  const kit = useKit();
  return useMemo(() => (options: FlagOptions) => showFlag(kit, options), [kit]);
}
