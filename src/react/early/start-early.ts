import {
  confluencePath,
  createConfluenceClient,
  createConnectTransport,
  createForgeTransport,
  type ConfluenceClient,
  type ConfluenceClientOptions,
  type ConnectScope,
  type Page,
} from '../../client/index.js';
import type { ConnectAP } from '../host/ConnectAP.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import { readHostContext, toContextInfo, type ConfluenceContextInfo } from '../internal/host-context.js';
import { currentUserKey, pageKey, spaceKey } from '../queries/query-keys.js';
import { publishEarlyStart } from './early-start.js';

/** The provider's default bound on host calls (`hostReadyTimeoutMs`). */
const DEFAULT_HOST_TIMEOUT_MS = 3000;

/** A read to start before React: the query key it will be adopted under, and how to make it. */
export interface EarlyRead<T = unknown> {
  queryKey: readonly unknown[];
  run: (client: ConfluenceClient) => Promise<T>;
}

export interface StartEarlyOptions {
  /**
   * The reads of the app's first screen, from the host context (which page, space, macro). Each is adopted by the
   * query with the same key: `earlyReads.page(id)` by `useQuery(confluenceQueries.page(id))`.
   */
  reads?: (context: ConfluenceContextInfo) => EarlyRead[];
  /** Forge Custom UI: the app's `@forge/bridge` (`import * as bridge from '@forge/bridge'`). */
  forgeBridge?: ForgeBridge;
  /** Descriptor scopes, as given to `<ConfluenceProvider scopes>`. */
  scopes?: ConnectScope[];
  /** More options for the client, as `<ConfluenceProvider clientOptions>`. */
  clientOptions?: Omit<ConfluenceClientOptions, 'transport'>;
  /** The bound of each host call, as `<ConfluenceProvider hostReadyTimeoutMs>`. Default 3000 ms. */
  hostTimeoutMs?: number;
}

/**
 * Starts the host calls of the app's first screen before React and the app's bundle have loaded: the host context,
 * who is looking, and the reads you declare. `<ConfluenceProvider>` adopts them in flight (no second call) and their
 * results land in TanStack's cache under the keys of the matching `confluenceQueries`. Load it right after all.js
 * (or, on Forge, with the bridge) and before the app's bundle; without it nothing changes. Outside Confluence it
 * does nothing and the provider says so as usual.
 *
 * @example
 * // src/early.ts, loaded by index.html before src/main.tsx:
 * //   <script type="module" src="/src/early.ts"></script>
 * //   <script type="module" src="/src/main.tsx"></script>
 * import { earlyReads, startEarly } from 'confluence-iframe-kit/early';
 *
 * startEarly({ reads: (context) => (context.content ? [earlyReads.page(context.content.id)] : []) });
 */
export function startEarly(options: StartEarlyOptions = {}): void {
  const ap = (globalThis as { AP?: ConnectAP }).AP;
  const bridge = options.forgeBridge;
  let host: 'connect' | 'forge';
  if (ap?.request) host = 'connect';
  else if (bridge) host = 'forge';
  else return;
  const transport = host === 'connect' ? createConnectTransport({ AP: ap }) : createForgeTransport(bridge!);
  const client = createConfluenceClient({ ...options.clientOptions, scopes: options.scopes, transport });
  const timeoutMs = options.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;
  const context = readHostContext({ host, ap, bridge, timeoutMs });
  // By the JSON of the query key: keys are arrays of strings, numbers and undefined, so it names them exactly.
  const reads = new Map<string, Promise<unknown>>();
  context.then(
    (read) => {
      for (const early of options.reads?.(toContextInfo(host, read, read.viewer)) ?? []) {
        const result = early.run(client);
        // Handled here: a read no query adopts (the app changed its mind) must not be an unhandled rejection.
        result.catch(() => {});
        reads.set(JSON.stringify(early.queryKey), result);
      }
    },
    // The provider adopts the same rejection and shows it; nothing to do here.
    () => {},
  );
  const takeRead = (queryKey: readonly unknown[]) => {
    const key = JSON.stringify(queryKey);
    const read = reads.get(key);
    reads.delete(key);
    return read;
  };
  publishEarlyStart({ host, bridge, client, context, takeRead });
}

/** Early reads for the built-in queries; each is adopted by the `confluenceQueries` factory of the same name. */
export const earlyReads = {
  /** Adopted by `confluenceQueries.page(id, bodyFormat)`. */
  page: (id: string, bodyFormat?: string): EarlyRead<Page> => ({
    queryKey: pageKey(id, bodyFormat),
    run: (client) => client.getPage<Page>(id, { bodyFormat }),
  }),
  /** Adopted by `confluenceQueries.currentUser()`. */
  currentUser: (): EarlyRead => ({
    queryKey: currentUserKey(),
    run: (client) => client.request({ path: '/wiki/rest/api/user/current' }).then((response) => response.data),
  }),
  /** Adopted by `confluenceQueries.space(id)`. */
  space: (id: string): EarlyRead => ({
    queryKey: spaceKey(id),
    run: (client) =>
      client.request({ path: confluencePath`/wiki/api/v2/spaces/${id}` }).then((response) => response.data),
  }),
};
