import type { QueryClient } from '@tanstack/react-query';
import type { ConfluenceClient } from '../../client/index.js';
import { ConfluenceHostError } from '../errors.js';

type HostStatus = 'pending' | 'ready' | 'outside';

interface Binding {
  status: HostStatus;
  client: ConfluenceClient | undefined;
  waiting: { resolve: (client: ConfluenceClient) => void; reject: (error: unknown) => void }[];
}

/**
 * The Confluence client each QueryClient serves. `<ConfluenceProvider>` binds its client to its QueryClient, and
 * query functions find it through TanStack's own `QueryFunctionContext.client`, so the options of
 * `confluenceQueries.*` are plain TanStack options that `useQuery`, `useSuspenseQuery`, `useQueries` and
 * `queryClient.fetchQuery`/`prefetchQuery`/`ensureQueryData` accept unchanged. A WeakMap keeps a dropped
 * QueryClient collectable.
 */
const bindings = new WeakMap<QueryClient, Binding>();

function outside(): ConfluenceHostError {
  return new ConfluenceHostError('HOST_NOT_READY', 'Not running inside Confluence.');
}

/**
 * Called by the provider while it renders (before any child query can run): records the host's status and, once
 * ready, the client, and settles query functions that started before the host was ready.
 */
export function bindConfluenceClient(
  queryClient: QueryClient,
  status: HostStatus,
  client: ConfluenceClient | undefined,
): void {
  let binding = bindings.get(queryClient);
  if (!binding) {
    binding = { status, client, waiting: [] };
    bindings.set(queryClient, binding);
  }
  binding.status = status;
  binding.client = client;
  if (status === 'pending') return;
  const waiting = binding.waiting;
  binding.waiting = [];
  for (const waiter of waiting) {
    if (client) waiter.resolve(client);
    else waiter.reject(outside());
  }
}

/**
 * The client bound to `queryClient`. Waits while its provider is still detecting the host (that wait is bounded by
 * the provider's `hostReadyTimeoutMs`); rejects with `NO_PROVIDER` when no provider uses this QueryClient.
 */
export function confluenceClientFor(queryClient: QueryClient | undefined): Promise<ConfluenceClient> {
  if (!queryClient) {
    // TanStack Query releases before the QueryClient was handed to query functions (QueryFunctionContext.client).
    return Promise.reject(
      new ConfluenceHostError(
        'NOT_SUPPORTED',
        'This @tanstack/react-query does not pass its QueryClient to queries: use 5.66 or newer.',
      ),
    );
  }
  const binding = bindings.get(queryClient);
  if (!binding) {
    return Promise.reject(new ConfluenceHostError('NO_PROVIDER', 'No <ConfluenceProvider> uses this QueryClient.'));
  }
  if (binding.client) return Promise.resolve(binding.client);
  if (binding.status === 'outside') {
    return Promise.reject(outside());
  }
  const pending = binding;
  return new Promise((resolve, reject) => pending.waiting.push({ resolve, reject }));
}
