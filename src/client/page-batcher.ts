import { fault } from './errors/classify.js';
import { guard } from './guard.js';
import { buildPath, confluencePath } from './paths.js';
import type { ConfluenceRequest, ConfluenceResponse, Page } from './types.js';

type Req = <T>(r: ConfluenceRequest) => Promise<ConfluenceResponse<T>>;
interface Bulk {
  results?: Page[];
  _links?: { next?: string };
}
/** The ids asked for in one tick (at most 250) and the pages their one bulk call found. */
interface Batch {
  ids: Set<string>;
  found: Promise<Map<string, Page>>;
}

/**
 * getPage(id): calls made in the same tick become one GET /wiki/api/v2/pages?id=…&id=…&limit=250 per 250 ids (the
 * endpoint's cap), following `_links.next`. The bulk endpoint silently drops pages the user cannot see, so a missing
 * id rejects with a not-found error flagged mayBeRestricted (status 404, although the bulk call itself answered 200).
 */
export function createPageBatcher(request: Req) {
  const open = new Map<string, Batch>(); // by body format: batches still taking ids

  function batch(format: string): Batch {
    const b: Batch = {
      ids: new Set(),
      // Runs once the current tick's calls are in: a microtask, like queueMicrotask.
      found: Promise.resolve().then(async () => {
        if (open.get(format) == b) open.delete(format);
        const found = new Map<string, Page>();
        for (
          let path: string | undefined = buildPath('/wiki/api/v2/pages', {
            id: [...b.ids],
            limit: 250,
            'body-format': format || undefined,
          });
          path;
        ) {
          const data: Bulk | null = (await request<Bulk>({ path })).data;
          for (const p of data?.results ?? []) found.set(String(p.id), p);
          path = data?._links?.next;
        }
        return found;
      }),
    };
    return b;
  }

  return function getPage<T = Page>(id: string, o: { signal?: AbortSignal; bodyFormat?: string } = {}): Promise<T> {
    id = String(id); // plain-JS callers may pass numbers; the bulk answer's ids are strings
    const f = o.bodyFormat ?? '',
      path = confluencePath`/wiki/api/v2/pages/${id}`;
    // The list endpoint renders only these two formats; others (view, export_view…) need the single-page endpoint.
    if (!/^(storage|atlas_doc_format)?$/.test(f))
      return request<T>({ path, query: { 'body-format': f }, signal: o.signal }).then((r) => r.data);
    if (o.signal?.aborted) return Promise.reject(o.signal.reason);
    // Page ids are numeric; anything else would make the whole bulk call fail (400) for every page in the batch.
    if (!/^\d+$/.test(id))
      return Promise.reject(fault('not-found', { method: 'GET', path }, 'not a page id', { status: 404 }));
    let b = open.get(f);
    // A full batch (250 ids, the endpoint's cap) closes; the next id starts another bulk call.
    if (!b || (b.ids.size > 249 && !b.ids.has(id))) open.set(f, (b = batch(f)));
    b.ids.add(id);
    const page = b.found.then(
      (found) =>
        found.get(id) ??
        Promise.reject(
          fault('not-found', { method: 'GET', path }, 'not in the bulk answer: missing, or no access', {
            status: 404,
            mayBeRestricted: true,
          }),
        ),
    );
    return guard(page, o.signal) as Promise<any>;
  };
}
