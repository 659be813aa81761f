import { useMemo } from 'react';
import { notSupported } from '../internal/host-calls.js';
import { useKit, type KitValue } from '../internal/kit-context.js';

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
// Connect reports an action click as a `flag.action` event carrying the action's key. Keys unique to each flag
// let one listener per AP route a click to its own onClick, whatever the host calls the flag.
const actionsByKey = new Map<string, () => void>();
// The action keys of each flag that has actions, oldest first, so they can be dropped when the flag goes away.
const keysByFlag = new Map<string, string[]>();
// all.js's flag object is a simple-xdm proxy whose `_id` is the `flagIdentifier` of that flag's `flag.close`
// event (connect-host flag.js: `flagId = callback._id`); a user's dismissal or a `close: 'auto'` timeout only
// ever reaches the app as that event.
const flagByHostId = new Map<string, string>();
/**
 * Without a host id (another AP implementation) a dismissed flag cannot be recognised, so only the newest flags
 * keep their actions: nothing grows without limit. 50 is far more flags than a page ever shows at once.
 */
export const MAX_FLAGS_WITH_ACTIONS = 50;
const listening = new WeakSet<object>();

function release(id: string) {
  for (const actionKey of keysByFlag.get(id) ?? []) actionsByKey.delete(actionKey);
  keysByFlag.delete(id);
  for (const [hostId, ours] of flagByHostId) if (ours === id) flagByHostId.delete(hostId);
}

function showFlag({ ap, bridge }: KitValue, options: FlagOptions): Promise<ShownFlag> {
  const { title, body, type = 'info', close = 'manual', actions = [] } = options;
  const id = `cik-flag-${++flagCount}`;
  if (ap?.flag) {
    const keys = actions.map((action, index) => {
      const actionKey = `${id}-${index}`;
      actionsByKey.set(actionKey, action.onClick);
      return actionKey;
    });
    if (keys.length > 0 && ap.events && !listening.has(ap)) {
      listening.add(ap);
      ap.events.on('flag.action', (event?: { actionIdentifier?: string }) => {
        const actionKey = event?.actionIdentifier;
        if (actionKey !== undefined) actionsByKey.get(actionKey)?.();
      });
      ap.events.on('flag.close', (event?: { flagIdentifier?: string | number }) => {
        const hostId = event?.flagIdentifier;
        const ours = hostId !== undefined && hostId !== null ? flagByHostId.get(String(hostId)) : undefined;
        if (ours) release(ours);
      });
    }
    const flagOptions: Record<string, unknown> = { title, body, type, close };
    if (keys.length > 0) {
      flagOptions.actions = Object.fromEntries(keys.map((actionKey, index) => [actionKey, actions[index]?.text]));
    }
    const flag = ap.flag.create(flagOptions);
    if (keys.length > 0) {
      keysByFlag.set(id, keys);
      const hostId = (flag as { _id?: unknown })._id;
      if (typeof hostId === 'string' || typeof hostId === 'number') flagByHostId.set(String(hostId), id);
      for (const oldest of keysByFlag.keys()) {
        if (keysByFlag.size <= MAX_FLAGS_WITH_ACTIONS) break;
        release(oldest);
      }
    }
    return Promise.resolve({
      close: async () => {
        release(id);
        flag.close();
      },
    });
  }
  if (bridge?.showFlag) {
    const flag = bridge.showFlag({ id, title, description: body, type, isAutoDismiss: close === 'auto', actions });
    return Promise.resolve({ close: () => flag.close().then(() => {}) });
  }
  return notSupported('Flags');
}

/**
 * A host flag (toast) on either host: `AP.flag.create` on Connect, `showFlag` on Forge. Standalone pages
 * have no host to show it: the promise rejects with `NOT_SUPPORTED`, so the app can fall back.
 *
 * @example
 * const flag = useFlag();
 * flag({ title: 'Marked reviewed', type: 'success', close: 'auto' }).catch(() => setInlineNotice('Marked reviewed'));
 */
export function useFlag(): (options: FlagOptions) => Promise<ShownFlag> {
  const kit = useKit();
  return useMemo(() => (options: FlagOptions) => showFlag(kit, options), [kit]);
}
