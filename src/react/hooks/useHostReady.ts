import { useContext } from 'react';
import type { HostKind } from '../host/HostKind.js';
import { KitContext, type HostState } from '../internal/kit-context.js';

export interface HostReadiness {
  status: HostState['status'];
  host?: HostKind;
  ready: boolean;
}

/**
 * The host's status: `pending` (bounded wait), `ready` with the detected host, or `outside`. Useful with
 * `<ConfluenceProvider renderBeforeReady>`, which renders children before the host is known.
 *
 * @example
 * const { ready, host } = useHostReady();
 * if (!ready) return <Skeleton />;
 */
export function useHostReady(): HostReadiness {
  const kit = useContext(KitContext);
  const status = kit?.status ?? 'outside';
  return { status, host: kit?.host, ready: status === 'ready' };
}
