import type { ReactNode } from 'react';
import {
  useContext,
  useMemo,
  useState,
  QueryClientProvider,
  createConfluenceClient,
  createConnectTransport,
  createFetchTransport,
  createForgeTransport,
} from '../deps.js';
import type { QueryClient } from '@tanstack/react-query';
import type { ConfluenceClient, ConfluenceClientOptions, ConnectScope } from '../../client/index.js';
import { KitContext, type ForgeBridge, type HostState, type KitValue } from '../context.js';
import { defaultMessages, type Messages, type StateRenderers } from '../components/messages.js';
import { StateView } from '../components/StateView.js';
import { createConfluenceQueryClient } from './queryClient.js';
import { useHostDetection, type HostPreference } from './detectHost.js';

type ClientOptions = Omit<ConfluenceClientOptions, 'transport'>;

export interface ConfluenceProviderProps {
  children?: ReactNode;
  /** Use this client instead of creating one for the detected host. */
  client?: ConfluenceClient;
  /** Use this QueryClient; otherwise one is created whose retry policy never retries a ConfluenceError. */
  queryClient?: QueryClient;
  /** Which host to use; `auto` (default) detects Connect (`AP.request`), then Forge (`__bridge`). */
  host?: HostPreference;
  /** The Forge bridge (`{ requestConfluence, view, … }`); without it `@forge/bridge` is imported lazily. */
  forgeBridge?: ForgeBridge;
  /** Base URL of the site for the fetch transport (standalone). In `auto`, the fallback after the wait. */
  fetchBaseUrl?: string;
  /** Descriptor scopes, enabling the client's scope check. */
  scopes?: ConnectScope[];
  /** More options for the created client (timeoutMs, retry, onRetry…). */
  clientOptions?: ClientOptions;
  /** How long to wait for the host before showing "not running inside Confluence". Default 3000 ms. */
  hostReadyTimeoutMs?: number;
  /** Render children before the host is ready (read it with `useHostReady()`). Default false. */
  renderBeforeReady?: boolean;
  /** Context token source when not on Connect (e.g. the emulator, or a standalone dev server). */
  getContextToken?: () => Promise<string>;
  /** Static context for standalone (fetch) mode, returned by `useConfluenceContext`. */
  context?: object;
  /** Overrides for the built-in texts (translate here). */
  messages?: Partial<Messages>;
  /** Custom markup per state kind, app-wide. */
  renderState?: StateRenderers;
}

const transportFor = ({ host, ap, bridge }: HostState, baseUrl = globalThis.location?.origin) =>
  host == 'connect'
    ? createConnectTransport({ AP: ap as any })
    : host == 'forge'
      ? createForgeTransport(bridge!)
      : createFetchTransport({ baseUrl });

/**
 * Detects the host, creates the client and a QueryClient, and shows a bounded "connecting" state,
 * then either the app or a "not running inside Confluence" state that says what to do.
 */
export function ConfluenceProvider(props: ConfluenceProviderProps) {
  const {
    children,
    client,
    forgeBridge,
    fetchBaseUrl,
    hostReadyTimeoutMs: timeoutMs = 3000,
    messages,
    renderState,
    getContextToken,
    context,
  } = props;
  const [queryClient] = useState(() => props.queryClient ?? createConfluenceQueryClient());
  // A given client needs no detection (and its AP may not be global); hooks still find AP or the bridge.
  const detected = useHostDetection(
    client ? 'fetch' : (props.host ?? 'auto'),
    timeoutMs,
    fetchBaseUrl != null,
    forgeBridge,
  );
  const state: HostState = client
    ? { status: 'ready', host: client.transport.kind, ap: (globalThis as any).AP, bridge: forgeBridge }
    : detected;
  // The client is created once per detected host: recreating it would drop its batching and coalescing state.
  const created = useMemo(
    () =>
      client ??
      (detected.status == 'ready'
        ? createConfluenceClient({
            ...props.clientOptions,
            scopes: props.scopes,
            transport: transportFor(detected, fetchBaseUrl),
          })
        : undefined),
    [detected, client],
  );
  const value = useMemo<KitValue>(
    () => ({
      ...state,
      client: created,
      messages: { ...defaultMessages, ...messages },
      render: renderState ?? {},
      timeoutMs,
      getContextToken,
      context,
    }),
    [detected, created, messages, renderState, timeoutMs, getContextToken, context],
  );
  const ready = state.status === 'ready' || props.renderBeforeReady;
  return (
    <QueryClientProvider client={queryClient}>
      <KitContext.Provider value={value}>
        {ready ? (
          children
        ) : (
          <StateView state={{ kind: state.status === 'pending' ? 'connecting' : 'outside', reason: state.missing }} />
        )}
      </KitContext.Provider>
    </QueryClientProvider>
  );
}

/** The host's status: `pending` (bounded wait), `ready` with the detected host, or `outside`. */
export function useHostReady(): { status: HostState['status']; host?: HostState['host']; ready: boolean } {
  const kit = useContext(KitContext);
  const status = kit?.status ?? 'outside';
  return { status, host: kit?.host, ready: status === 'ready' };
}
