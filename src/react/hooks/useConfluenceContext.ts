import { bounded, fromCallback, useKit, type HostKind, type KitValue } from '../context.js';
import { useHostQuery } from './useHostQuery.js';

export interface ConfluenceContextInfo {
  host: HostKind;
  content?: { id: string; type?: string; version?: number };
  space?: { id?: string; key?: string };
  macro?: { id?: string; outputType?: string; hash?: string };
  user?: { accountId?: string };
  /** What the host returned, untouched. */
  raw?: unknown;
}

// Hosts hand out numeric ids and string versions in some places; the toolkit uses string ids, numeric versions.
const withId = (o?: any) =>
  o?.id == null ? o : { ...o, id: String(o.id), ...(o.version != null && { version: +o.version }) };

async function readContext({
  host = 'fetch',
  ap,
  bridge,
  timeoutMs,
  context,
}: KitValue): Promise<ConfluenceContextInfo> {
  let raw: any, c: any, accountId: string | undefined;
  if (host == 'connect' && ap?.context) {
    raw = await bounded(ap.context.getContext(), timeoutMs);
    c = raw.confluence ?? {};
    // Connect's context carries no user; AP.user does.
    accountId =
      raw.user?.accountId ??
      (ap.user &&
        (await fromCallback<any>((resolve) => ap.user!.getCurrentUser(resolve), timeoutMs)).atlassianAccountId);
  } else if (host == 'forge' && bridge?.view) {
    raw = await bounded(bridge.view.getContext(), timeoutMs);
    c = { macro: raw.localId && { id: raw.localId }, ...raw.extension };
    accountId = raw.accountId;
  } else return { host, ...context };
  return { host, content: withId(c.content), space: withId(c.space), macro: c.macro, user: { accountId }, raw };
}

/** The typed content/space/macro/user context of the current iframe (`AP.context` / Forge `view.getContext()`). */
export function useConfluenceContext() {
  const kit = useKit();
  return useHostQuery(['confluence', 'context'], () => readContext(kit));
}
