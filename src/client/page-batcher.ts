import { ConfluenceError } from './errors/confluence-error';
import { buildPath, confluencePath } from './paths';
import type { ConfluenceRequest, ConfluenceResponse, Page } from './types';
import { guard } from './guard';

type Req = <T>(r: ConfluenceRequest) => Promise<ConfluenceResponse<T>>;
interface Waiter { id: string; res: (p: Page) => void; rej: (e: unknown) => void }
interface Bulk { results?: Page[]; _links?: { next?: string } }

/** The v2 bulk endpoint caps `id` (and `limit`) at 250. */
const MAX = 250;

/**
 * getPage(id): calls made in the same tick become one GET /wiki/api/v2/pages?id=…&id=…&limit=250 per 250 ids,
 * following `_links.next`. The bulk endpoint silently drops pages the user cannot see, so a missing id rejects
 * with a not-found error flagged mayBeRestricted. One id alone uses GET /pages/{id}, which can answer its own 404.
 */
export function createPageBatcher(request: Req) {
  const queues = new Map<string, Waiter[]>();

  async function flush(format: string, ws: Waiter[]) {
    const ids = [...new Set(ws.map((w) => w.id))];
    const q = format ? { 'body-format': format } : {};
    for (let i = 0; i < ids.length; i += MAX) {
      const chunk = ids.slice(i, i + MAX);
      const mine = ws.filter((w) => chunk.includes(w.id));
      try {
        const found = new Map<string, Page>();
        if (ids.length == 1) found.set(ids[0]!, (await request<Page>({ path: confluencePath`/wiki/api/v2/pages/${ids[0]}`, query: q })).data);
        else
          for (let path: string | undefined = buildPath('/wiki/api/v2/pages', { id: chunk, limit: MAX, ...q }); path; ) {
            const data: Bulk | null = (await request<Bulk>({ path })).data;
            for (const p of data?.results ?? []) found.set(String(p.id), p);
            path = data?._links?.next;
          }
        for (const w of mine) {
          const p = found.get(w.id);
          if (p) w.res(p);
          else
            w.rej(new ConfluenceError({ kind: 'not-found', status: 404, mayBeRestricted: true, method: 'GET', path: `/wiki/api/v2/pages/${w.id}`,
              message: `Confluence page ${w.id} was not in the bulk answer: it does not exist or you lack access` }));
        }
      } catch (e) {
        for (const w of mine) w.rej(e);
      }
    }
  }

  return function getPage<T = Page>(id: string, o: { signal?: AbortSignal; bodyFormat?: string } = {}): Promise<T> {
    const f = o.bodyFormat ?? '';
    // The list endpoint renders only these two formats; others (view, export_view…) need the single-page endpoint.
    if (f && f != 'storage' && f != 'atlas_doc_format')
      return request<T>({ path: confluencePath`/wiki/api/v2/pages/${id}`, query: { 'body-format': f }, signal: o.signal }).then((r) => r.data);
    if (o.signal?.aborted) return Promise.reject(o.signal.reason);
    return guard(new Promise<T>((res, rej) => {
      let ws = queues.get(f);
      if (!ws) {
        queues.set(f, (ws = []));
        queueMicrotask(() => (queues.delete(f), flush(f, ws!)));
      }
      ws.push({ id: String(id), res: res as (p: Page) => void, rej });
    }), o.signal);
  };
}
