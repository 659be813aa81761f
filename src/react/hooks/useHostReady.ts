import { useContext } from 'react';
import type { HostKind } from '../host/HostKind.js';
import { KitContext, type HostState } from '../internal/kit-context.js';

export interface HostReadiness {
  status: HostState['status'];
  host?: HostKind;
  ready: boolean;
  /**
   * Tell the host the first content is on screen (Forge: `view.emitReadyEvent()`, which exports and static macros
   * wait for). Sent once per provider, only where the host supports it; `<RequestState>` and `<QueryBoundary>` call
   * it themselves the first time they show data, so call it only for content shown without them.
   */
  markContentReady: () => void;
}

const NOTHING_TO_TELL = () => {};

/**
 * The host's status: `pending` (bounded wait), `ready` with the detected host, or `outside`. Useful with
 * `<ConfluenceProvider renderBeforeReady>`, which renders children before the host is known.
 *
 * @example
 * const { ready, host } = useHostReady();
 * if (!ready) return <Skeleton />;
 *
 * @example
 * // Content shown without RequestState / QueryBoundary: say when it is on screen.
 * const { markContentReady } = useHostReady();
 * useEffect(() => markContentReady(), [markContentReady]);
 */
export function useHostReady(): HostReadiness {
  const kit = useContext(KitContext);
  const status = kit?.status ?? 'outside';
  return {
    status,
    host: kit?.host,
    ready: status === 'ready',
    markContentReady: kit?.markContentReady ?? NOTHING_TO_TELL,
  };
}
