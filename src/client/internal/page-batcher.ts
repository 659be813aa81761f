import { confluencePath } from '../paths.js';
import type { ConfluenceRequest, ConfluenceResponse, Page } from '../types.js';
import { buildPath } from './build-path.js';
import { requestError } from './classify.js';
import { guard } from './guard.js';

type Request = <T>(request: ConfluenceRequest) => Promise<ConfluenceResponse<T>>;

interface BulkAnswer {
  results?: Page[];
  _links?: { next?: string };
}

/** The ids asked for in one tick and the pages their one bulk call found. */
interface Batch {
  ids: Set<string>;
  found: Promise<Map<string, Page>>;
}

/** The bulk endpoint's cap on ids (and page size) per call. The early start's page read asks the same. */
export const MAX_IDS_PER_CALL = 250;
/** The list endpoint renders only these body formats; others (view, export_view…) need the single-page endpoint. */
const BATCHABLE_BODY_FORMAT = /^(storage|atlas_doc_format)?$/;
/** Page ids are numeric; anything else would make the whole bulk call fail (400) for every page in the batch. */
const PAGE_ID = /^\d+$/;

/**
 * getPage(id): calls made in the same tick become one GET /wiki/api/v2/pages?id=…&id=…&limit=250 per 250 ids (the
 * endpoint's cap), following `_links.next`. The bulk endpoint silently drops pages the user cannot see, so a missing
 * id rejects with a not-found error flagged mayBeRestricted (status 404, although the bulk call itself answered 200).
 */
export function createPageBatcher(request: Request) {
  /** Batches still taking ids, by body format ('' for none). */
  const openBatches = new Map<string, Batch>();

  async function fetchBatch(batch: Batch, bodyFormat: string): Promise<Map<string, Page>> {
    // Runs after a microtask, once the current tick's calls are in; from here on the batch takes no more ids.
    await Promise.resolve();
    if (openBatches.get(bodyFormat) === batch) openBatches.delete(bodyFormat);

    const found = new Map<string, Page>();
    let path: string | undefined = buildPath('/wiki/api/v2/pages', {
      id: [...batch.ids],
      limit: MAX_IDS_PER_CALL,
      'body-format': bodyFormat || undefined,
    });
    while (path) {
      const data: BulkAnswer | null = (await request<BulkAnswer>({ path })).data;
      for (const page of data?.results ?? []) found.set(String(page.id), page);
      path = data?._links?.next;
    }
    return found;
  }

  function openBatch(bodyFormat: string): Batch {
    const batch = { ids: new Set<string>() } as Batch;
    batch.found = fetchBatch(batch, bodyFormat);
    openBatches.set(bodyFormat, batch);
    return batch;
  }

  return function getPage<T = Page>(
    id: string,
    options: { signal?: AbortSignal; bodyFormat?: string } = {},
  ): Promise<T> {
    const pageId = String(id); // plain-JS callers may pass numbers; the bulk answer's ids are strings
    const bodyFormat = options.bodyFormat ?? '';
    const path = confluencePath`/wiki/api/v2/pages/${pageId}`;

    if (!BATCHABLE_BODY_FORMAT.test(bodyFormat)) {
      return request<T>({ path, query: { 'body-format': bodyFormat }, signal: options.signal }).then(
        (response) => response.data,
      );
    }
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    if (!PAGE_ID.test(pageId)) {
      return Promise.reject(requestError('not-found', { method: 'GET', path }, 'not a page id', { status: 404 }));
    }

    let batch = openBatches.get(bodyFormat);
    // A full batch closes; the next id starts another bulk call.
    const isFull = batch !== undefined && batch.ids.size >= MAX_IDS_PER_CALL && !batch.ids.has(pageId);
    if (!batch || isFull) batch = openBatch(bodyFormat);
    batch.ids.add(pageId);

    const page = batch.found.then((found) => {
      const match = found.get(pageId);
      if (match) return match as T;
      throw requestError('not-found', { method: 'GET', path }, 'not found, or no access', {
        status: 404,
        mayBeRestricted: true,
      });
    });
    return guard(page, options.signal);
  };
}
