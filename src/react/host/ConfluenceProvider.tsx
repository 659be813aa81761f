import { useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { QueryClientProvider, useQuery, type QueryClient } from '@tanstack/react-query';
import {
  createConfluenceClient,
  createConnectTransport,
  createFetchTransport,
  createForgeTransport,
  type ConfluenceClient,
  type ConfluenceClientOptions,
  type ConnectScope,
  type Transport,
} from '../../client/index.js';
import { defaultMessages, type Messages, type StateRenderers } from '../components/messages.js';
import { StateView } from '../components/StateView.js';
import { bindConfluenceClient } from '../internal/client-binding.js';
import { useHostDetection } from '../internal/detect-host.js';
import { useThemeBeforeFirstPaint } from '../internal/host-theme.js';
import { KitContext, type HostState, type KitValue } from '../internal/kit-context.js';
import { findEarlyStart } from '../early/early-start.js';
import { HOST_CONTEXT_KEY, readHostContext } from '../internal/host-context.js';
import { ViewerContext, useIsGuest, withGuest, type ViewerState } from '../internal/viewer.js';
import type { ConnectAP } from './ConnectAP.js';
import type { ForgeBridge } from './ForgeBridge.js';
import type { HostPreference } from './HostKind.js';
import { createConfluenceQueryClient } from './queryClient.js';

type ClientOptions = Omit<ConfluenceClientOptions, 'transport'>;

/** How long the provider waits for the host before showing "not running inside Confluence". */
const DEFAULT_HOST_READY_TIMEOUT_MS = 3000;

export interface ConfluenceProviderProps {
  children?: ReactNode;
  /** Use this client instead of creating one for the detected host. */
  client?: ConfluenceClient;
  /**
   * Use this QueryClient; otherwise one is created whose retry policy never retries a ConfluenceError. The provider
   * binds its Confluence client to it, so `confluenceQueries.*` work with `queryClient.fetchQuery` and friends.
   * Give each provider its own QueryClient.
   */
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
  /**
   * Turn on the host's theme (light/dark design tokens) before the app's first render, so a dark page never flashes
   * light: Forge awaits `view.theme.enable()` (at most 1 s, then renders anyway), Connect calls
   * `AP.theming.initializeTheming()` before the browser paints (needs `connect-cdn.atl-paas.net` in your CSP).
   * Default false (then `useTheme()` turns it on after the first render).
   */
  theme?: boolean;
  /** Render children before the host is ready (read it with `useHostReady()`). Default false. */
  renderBeforeReady?: boolean;
  /** Context token source when not on Connect (e.g. the emulator, or a standalone dev server). */
  getContextToken?: () => Promise<string>;
  /** Static context for standalone (fetch) mode, returned by `useConfluenceContext`. */
  context?: object;
  /**
   * Forge: the key of the manifest remote `useAppFetch` calls through `requestRemote` (`@forge/bridge` 7.2). Without
   * it (or on an older bridge) `useAppFetch` uses `invokeRemote`, the module's own remote endpoint.
   */
  forgeRemoteKey?: string;
  /** Overrides for the built-in texts (translate here). */
  messages?: Partial<Messages>;
  /** Custom markup per state kind, app-wide. */
  renderState?: StateRenderers;
}

function transportFor({ host, ap, bridge }: HostState, baseUrl = globalThis.location?.origin): Transport {
  // The early start (confluence-iframe-kit/early) holds the answers to the first screen's reads for this client.
  const early = findEarlyStart();
  if (early && early.host === host) return early.transport;
  if (host === 'connect' && ap) return createConnectTransport({ AP: ap });
  if (host === 'forge' && bridge) return createForgeTransport(bridge);
  return createFetchTransport({ baseUrl });
}

/**
 * Reads who the viewer is (the host context, shared with `useConfluenceContext`) so request states can say
 * "Sign in to edit" or "licence inactive" instead of a generic refusal. A host that cannot tell holds nothing back.
 */
function ViewerReader({ children }: { children: ReactNode }) {
  const kit = useContext(KitContext)!;
  const ready = kit.status === 'ready';
  const context = useQuery({
    queryKey: HOST_CONTEXT_KEY,
    queryFn: () => readHostContext(kit),
    enabled: ready,
    staleTime: Infinity,
    retry: false,
  });
  const isGuest = useIsGuest();
  const hostViewer = context.data?.viewer;
  const value = useMemo<ViewerState>(() => {
    if (hostViewer) return { known: true, viewer: withGuest(hostViewer, isGuest) };
    return { known: !ready || context.isError };
  }, [hostViewer, isGuest, ready, context.isError]);
  return <ViewerContext.Provider value={value}>{children}</ViewerContext.Provider>;
}

/**
 * Detects the host, creates the client and a QueryClient, and shows a bounded "connecting" state,
 * then either the app or a "not running inside Confluence" state that says what to do.
 *
 * @example
 * import { ConfluenceProvider } from 'confluence-iframe-kit/react';
 * import * as forgeBridge from '@forge/bridge'; // Forge apps only
 *
 * createRoot(document.getElementById('root')!).render(
 *   <ConfluenceProvider forgeBridge={forgeBridge} messages={{ loading: 'Einen Moment…' }}>
 *     <App />
 *   </ConfluenceProvider>,
 * );
 */
export function ConfluenceProvider(props: ConfluenceProviderProps) {
  const {
    children,
    client,
    forgeBridge,
    fetchBaseUrl,
    hostReadyTimeoutMs: timeoutMs = DEFAULT_HOST_READY_TIMEOUT_MS,
    messages,
    renderState,
    getContextToken,
    context,
    forgeRemoteKey,
  } = props;
  const [queryClient] = useState(() => props.queryClient ?? createConfluenceQueryClient());
  // A given client needs no detection (and its AP may not be global); hooks still find AP or the bridge.
  const detected = useHostDetection(
    client ? 'fetch' : (props.host ?? 'auto'),
    timeoutMs,
    fetchBaseUrl !== undefined,
    forgeBridge,
  );
  let state: HostState = detected;
  if (client) {
    const globalAP = (globalThis as { AP?: ConnectAP }).AP;
    state = { status: 'ready', host: client.transport.kind, ap: globalAP, bridge: forgeBridge };
  }
  // The client is created once per detected host: recreating it would drop its batching and coalescing state.
  const created = useMemo(() => {
    if (client) return client;
    if (detected.status !== 'ready') return undefined;
    return createConfluenceClient({
      ...props.clientOptions,
      scopes: props.scopes,
      transport: transportFor(detected, fetchBaseUrl),
    });
    // Options are read once per host on purpose (see above); a new `client` prop replaces it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detected, client]);
  // During render, not in an effect: children's queries start in their own effects, which run before ours.
  bindConfluenceClient(queryClient, state.status, created);
  // Once per provider: Forge's ready event is what a snapshot (export, static macro) waits for, a second one is noise.
  const readyEventSent = useRef(false);
  const readyBridge = state.bridge;
  const markContentReady = useCallback(() => {
    const emitReadyEvent = readyBridge?.view?.emitReadyEvent;
    if (readyEventSent.current || !emitReadyEvent) return;
    readyEventSent.current = true;
    emitReadyEvent.call(readyBridge.view).catch(() => {});
  }, [readyBridge]);
  const value = useMemo<KitValue>(
    () => ({
      ...state,
      client: created,
      messages: { ...defaultMessages, ...messages },
      render: renderState ?? {},
      timeoutMs,
      getContextToken,
      context,
      forgeRemoteKey,
      markContentReady,
    }),
    // `state` is derived from `detected` and `client` (through `created`) each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [detected, created, messages, renderState, timeoutMs, getContextToken, context, forgeRemoteKey, markContentReady],
  );
  const themed = useThemeBeforeFirstPaint(props.theme === true, state);
  const ready = state.status === 'ready' || props.renderBeforeReady;
  // Nothing at all while the theme is applied: even a loading line would show in the wrong colours. Children that
  // already render before the host is ready stay.
  let content: ReactNode = themed || props.renderBeforeReady ? children : null;
  if (!ready) {
    const kind = state.status === 'pending' ? 'connecting' : 'outside';
    content = <StateView state={{ kind, reason: state.missing }} />;
  }
  return (
    <QueryClientProvider client={queryClient}>
      <KitContext.Provider value={value}>
        <ViewerReader>{content}</ViewerReader>
      </KitContext.Provider>
    </QueryClientProvider>
  );
}
