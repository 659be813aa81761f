import { useQuery } from '@tanstack/react-query';
import { fromCallback, useKit, type HostKind, type KitValue } from '../context';

export interface ConfluenceContextInfo {
  host: HostKind;
  content?: { id: string; type?: string; version?: number };
  space?: { id?: string; key?: string };
  macro?: { id?: string; outputType?: string; hash?: string };
  user?: { accountId?: string };
  /** What the host returned, untouched. */
  raw?: unknown;
}

// Hosts hand out numeric ids in some places and strings in others; the toolkit always uses strings.
const withId = <T extends { id?: unknown }>(o?: T) => (o?.id == null ? o : { ...o, id: String(o.id) });

async function readContext(kit: KitValue): Promise<ConfluenceContextInfo> {
  const { host = 'fetch', ap, bridge, timeoutMs } = kit;
  if (host === 'connect' && ap?.context) {
    const raw = await ap.context.getContext();
    const c = raw?.confluence ?? {};
    const accountId =
      raw?.user?.accountId ??
      (ap.user && (await fromCallback<any>((cb) => ap.user!.getCurrentUser(cb), timeoutMs, 'AP.user.getCurrentUser')).atlassianAccountId);
    return { host, content: withId(c.content), space: withId(c.space), macro: c.macro, user: { accountId }, raw };
  }
  if (host === 'forge' && bridge?.view) {
    const raw = await bridge.view.getContext();
    const x = raw?.extension ?? {};
    const macro = x.macro ?? (raw?.localId ? { id: raw.localId } : undefined);
    return { host, content: withId(x.content), space: withId(x.space), macro, user: { accountId: raw?.accountId }, raw };
  }
  return { host, ...kit.context };
}

/** The typed content/space/macro/user context of the current iframe (`AP.context` / Forge `view.getContext()`). */
export function useConfluenceContext() {
  const kit = useKit();
  return useQuery({
    queryKey: ['confluence', 'context'],
    queryFn: () => readContext(kit),
    enabled: kit.status === 'ready',
    staleTime: Infinity,
    retry: false,
  });
}
