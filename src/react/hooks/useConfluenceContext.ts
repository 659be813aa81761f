import type { HostKind } from '../host/HostKind.js';
import { bounded, fromCallback } from '../internal/host-calls.js';
import { useKit, type KitValue } from '../internal/kit-context.js';
import { useHostQuery } from '../internal/useHostQuery.js';

export interface ConfluenceContextInfo {
  host: HostKind;
  content?: { id: string; type?: string; version?: number };
  space?: { id?: string; key?: string };
  macro?: { id?: string; outputType?: string; hash?: string };
  user?: { accountId?: string };
  /** What the host returned, untouched. */
  raw?: unknown;
}

interface HostEntity {
  id?: string | number | null;
  version?: string | number | null;
  [field: string]: unknown;
}

/** Hosts hand out numeric ids and string versions in some places; the toolkit uses string ids, numeric versions. */
function normaliseIds<T>(entity: HostEntity | undefined): T {
  if (entity?.id === undefined || entity.id === null) return entity as T;
  const normalised: HostEntity = { ...entity, id: String(entity.id) };
  if (entity.version !== undefined && entity.version !== null) normalised.version = Number(entity.version);
  return normalised as T;
}

interface HostContext {
  content?: HostEntity;
  space?: HostEntity;
  macro?: ConfluenceContextInfo['macro'];
}

async function readContext(kit: KitValue): Promise<ConfluenceContextInfo> {
  const { host = 'fetch', ap, bridge, timeoutMs, context } = kit;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw context is whatever the host returned
  let raw: any;
  let confluence: HostContext;
  let accountId: string | undefined;
  if (host === 'connect' && ap?.context) {
    raw = await bounded(ap.context.getContext(), timeoutMs);
    confluence = raw.confluence ?? {};
    accountId = raw.user?.accountId ?? undefined;
    // Connect's context carries no user; AP.user does.
    const user = ap.user;
    if (accountId === undefined && user) {
      const current = await fromCallback<{ atlassianAccountId?: string }>(
        (resolve) => user.getCurrentUser(resolve),
        timeoutMs,
      );
      accountId = current.atlassianAccountId;
    }
  } else if (host === 'forge' && bridge?.view) {
    raw = await bounded(bridge.view.getContext(), timeoutMs);
    confluence = { macro: raw.localId && { id: raw.localId }, ...raw.extension };
    accountId = raw.accountId;
  } else {
    return { host, ...context };
  }
  return {
    host,
    content: normaliseIds(confluence.content),
    space: normaliseIds(confluence.space),
    macro: confluence.macro,
    user: { accountId },
    raw,
  };
}

/**
 * The typed content/space/macro/user context of the current iframe (`AP.context` / Forge `view.getContext()`), as a
 * query: `data` is `{ host, content?, space?, macro?, user?, raw }` with string ids.
 *
 * @example
 * const { data: context } = useConfluenceContext();
 * const pageId = context?.content?.id;
 */
export function useConfluenceContext() {
  const kit = useKit();
  return useHostQuery(['confluence', 'context'], () => readContext(kit));
}
