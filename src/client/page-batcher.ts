import { fault } from './errors/classify';
import { guard } from './guard';
import { buildPath, confluencePath } from './paths';
import type { ConfluenceRequest, ConfluenceResponse, Page } from './types';

type Req = <T>(r: ConfluenceRequest) => Promise<ConfluenceResponse<T>>;
type Waiter = [id: string, res: (p: Page) => void, rej: (e: unknown) => void];
interface Bulk { results?: Page[]; _links?: { next?: string } }

/**
 * getPage(id): calls made in the same tick become one GET /wiki/api/v2/pages?id=…&id=…&limit=250 per 250 ids (the
 * endpoint's cap), following `_links.next`. The bulk endpoint silently drops pages the user cannot see, so a missing
 * id rejects with a not-found error flagged mayBeRestricted (status 404, although the bulk call itself answered 200).
 */
export function createPageBatcher(request: Req) {
  const queues = new Map<string, Waiter[]>();

  async function flush(format: string, ws: Waiter[]) {
    const ids = [...new Set(ws.map((w) => w[0]))];
    while (ids.length) {
      const chunk = ids.splice(0, 250), found = new Map<string, Page>();
      let failed: unknown;
      try {
        for (let path: string | undefined = buildPath('/wiki/api/v2/pages', { id: chunk, limit: 250, 'body-format': format || undefined }); path; ) {
          const data: Bulk | null = (await request<Bulk>({ path })).data;
          for (const p of data?.results ?? []) found.set(String(p.id), p);
          path = data?._links?.next;
        }
      } catch (e) {
        failed = e;
      }
      for (const [id, res, rej] of ws)
        if (chunk.includes(id))
          found.has(id) ? res(found.get(id)!)
          : rej(failed ?? fault('not-found', { method: 'GET', path: confluencePath`/wiki/api/v2/pages/${id}` }, 'not in the bulk answer: missing, or no access', { status: 404, mayBeRestricted: true }));
    }
  }

  return function getPage<T = Page>(id: string, o: { signal?: AbortSignal; bodyFormat?: string } = {}): Promise<T> {
    const f = o.bodyFormat ?? '';
    // The list endpoint renders only these two formats; others (view, export_view…) need the single-page endpoint.
    if (!/^(storage|atlas_doc_format)?$/.test(f))
      return request<T>({ path: confluencePath`/wiki/api/v2/pages/${id}`, query: { 'body-format': f }, signal: o.signal }).then((r) => r.data);
    if (o.signal?.aborted) return Promise.reject(o.signal.reason);
    return guard(new Promise<T>((res, rej) => {
      let ws = queues.get(f);
      if (!ws) {
        queues.set(f, (ws = []));
        queueMicrotask(() => (queues.delete(f), flush(f, ws!)));
      }
      ws.push([String(id), res as Waiter[1], rej]);
    }), o.signal);
  };
}
