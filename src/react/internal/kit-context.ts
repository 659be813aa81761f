import { createContext, useContext } from 'react';
import type { ConfluenceClient } from '../../client/index.js';
import type { Messages, StateRenderers } from '../components/messages.js';
import { ConfluenceHostError } from '../errors.js';
import type { ConnectAP } from '../host/ConnectAP.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import type { HostKind } from '../host/HostKind.js';

/** What host detection found. */
export interface HostState {
  status: 'pending' | 'ready' | 'outside';
  /** Why it is `outside` when a host was found but cannot be used: Forge's `__bridge` without `@forge/bridge`. */
  missing?: 'forge-bridge';
  host?: HostKind;
  ap?: ConnectAP;
  bridge?: ForgeBridge;
}

/** Everything `<ConfluenceProvider>` hands to the hooks and components below it. */
export interface KitValue extends HostState {
  client?: ConfluenceClient;
  messages: Messages;
  render: StateRenderers;
  /** The bound of every host call (AP, bridge), from `hostReadyTimeoutMs`. */
  timeoutMs: number;
  getContextToken?: () => Promise<string>;
  context?: object;
  /** Forge: the manifest remote `useAppFetch` reaches through `requestRemote`. */
  forgeRemoteKey?: string;
  /** The first content is on screen: tells a host that wants to know (Forge `view.emitReadyEvent()`), once. */
  markContentReady: () => void;
}

export const KitContext = createContext<KitValue | null>(null);

/** The nearest provider's value; throws `NO_PROVIDER` outside one. */
export function useKit(): KitValue {
  const kit = useContext(KitContext);
  if (!kit) throw new ConfluenceHostError('NO_PROVIDER', 'No <ConfluenceProvider>.');
  return kit;
}
