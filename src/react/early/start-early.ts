import {
  confluencePath,
  createConnectTransport,
  createForgeTransport,
  type ConnectRequestHost,
} from '../../client/index.js';
import { buildPath } from '../../client/internal/build-path.js';
import { MAX_IDS_PER_CALL } from '../../client/internal/page-batcher.js';
import type { ConnectAP } from '../host/ConnectAP.js';
import type { ForgeBridge } from '../host/ForgeBridge.js';
import { readHostContext, toContextInfo, type ConfluenceContextInfo } from '../internal/host-context.js';
import { publishEarlyStart } from './early-start.js';
import { rememberingTransport } from './remembering-transport.js';

/** The provider's default bound on host calls (`hostReadyTimeoutMs`). */
const DEFAULT_HOST_TIMEOUT_MS = 3000;

/**
 * A read to start before React: the site path of the GET the app's client will send for it (with `/wiki` and the
 * query). The `earlyReads` helpers know the paths of the built-in queries.
 */
export type EarlyRead = string;

/** What `startEarly` reads before React, and how it reaches the host. */
export interface StartEarlyOptions {
  /**
   * The reads of the app's first screen, from the host context (which page, space, macro). Each is adopted by the
   * app's first identical GET: `earlyReads.page(id)` by `useQuery(confluenceQueries.page(id))`.
   */
  reads?: (context: ConfluenceContextInfo) => EarlyRead[];
  /** Forge Custom UI: the app's `@forge/bridge` (`import * as bridge from '@forge/bridge'`). */
  forgeBridge?: ForgeBridge;
  /** The bound of each host call, as `<ConfluenceProvider hostReadyTimeoutMs>`. Default 3000 ms. */
  hostTimeoutMs?: number;
}

/**
 * Starts the host calls of the app's first screen before React and the app's bundle have loaded: the host context,
 * who is looking, and the reads you declare. `<ConfluenceProvider>` adopts them in flight (no second call) and their
 * results land in TanStack's cache through the matching `confluenceQueries`. Load it right after all.js (or, on
 * Forge, with the bridge) and before the app's bundle; without it nothing changes. Outside Confluence it does
 * nothing and the provider says so as usual.
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
  const hostTransport =
    host === 'connect' ? createConnectTransport({ AP: ap as ConnectRequestHost }) : createForgeTransport(bridge!);
  const { transport, sendEarly } = rememberingTransport(hostTransport);
  const timeoutMs = options.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;
  const context = readHostContext({ host, ap, bridge, timeoutMs });
  context.then(
    (read) => {
      for (const path of options.reads?.(toContextInfo(host, read, read.viewer)) ?? []) sendEarly(buildPath(path));
    },
    // The provider adopts the same rejection and shows it; nothing to do here.
    () => {},
  );
  publishEarlyStart({ host, context, transport });
}

/** Early reads for the built-in queries; each is adopted by the `confluenceQueries` factory of the same name. */
export const earlyReads = {
  /**
   * Adopted by `confluenceQueries.page(id, bodyFormat)`: the client's bulk read of one page (its page batcher sends
   * exactly this when the page is the only one read in its tick).
   */
  page: (id: string, bodyFormat?: string): EarlyRead =>
    buildPath('/wiki/api/v2/pages', {
      id: [String(id)],
      limit: MAX_IDS_PER_CALL,
      'body-format': bodyFormat || undefined,
    }),
  /** Adopted by `confluenceQueries.currentUser()`. */
  currentUser: (): EarlyRead => '/wiki/rest/api/user/current',
  /** Adopted by `confluenceQueries.space(id)`. */
  space: (id: string): EarlyRead => confluencePath`/wiki/api/v2/spaces/${id}`,
};
