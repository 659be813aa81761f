import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { createConfluenceClient, createFetchTransport } from '../../src/client';
import { SITE, json, setupMsw } from './helpers';

const server = setupMsw();

/**
 * GET /wiki/api/v2/pages?id=…: like Confluence, drops ids the user may not see (or that do not exist), rejects more than
 * 250 ids, and pages with a relative `_links.next` cursor. `pageSize` is forced small here so the cursor is exercised.
 */
function bulkPages({ hidden = new Set<string>(), pageSize = 250 } = {}) {
  const calls: URL[] = [];
  server.use(
    http.get(SITE + '/wiki/api/v2/pages', ({ request }) => {
      const url = new URL(request.url);
      calls.push(url);
      const ids = url.searchParams.getAll('id');
      if (ids.length > 250)
        return json(400, {
          errors: [
            {
              status: 400,
              code: 'INVALID_REQUEST_PARAMETER',
              title: 'id: size must be between 0 and 250',
              detail: null,
            },
          ],
        });
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 25), pageSize);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const visible = ids.filter((id) => !hidden.has(id));
      const results = visible
        .slice(start, start + limit)
        .map((id) => ({ id, title: `Page ${id}`, status: 'current', version: { number: 1 } }));
      const next = start + limit < visible.length ? new URL(url) : undefined;
      next?.searchParams.set('cursor', String(start + limit));
      const nextPath = next && next.pathname + next.search;
      return json(
        200,
        { results, _links: nextPath ? { next: nextPath, base: SITE + '/wiki' } : { base: SITE + '/wiki' } },
        nextPath ? { link: `<${nextPath}>; rel="next"` } : {},
      );
    }),
  );
  return calls;
}

const newClient = () => createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }), retry: false });

describe('getPage batching', () => {
  it('same-tick calls become one bulk call with repeated id= and limit=250', async () => {
    const calls = bulkPages();
    const client = newClient();
    const pages = await Promise.all(['1', '2', '3', '2'].map((id) => client.getPage(id)));
    expect(pages.map((p) => p.title)).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 2']);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.searchParams.getAll('id')).toEqual(['1', '2', '3']);
    expect(calls[0]!.searchParams.get('limit')).toBe('250');
    expect(client.stats.transportCalls).toBe(1);
  });

  it('calls in different ticks are separate batches', async () => {
    const calls = bulkPages();
    const client = newClient();
    await client.getPage('1');
    await client.getPage('2');
    expect(calls).toHaveLength(2);
  });

  it('more than 250 ids are split into calls of at most 250', async () => {
    const calls = bulkPages();
    const client = newClient();
    const ids = Array.from({ length: 600 }, (_, i) => String(i + 1));
    const pages = await Promise.all(ids.map((id) => client.getPage(id)));
    expect(pages.map((p) => p.id)).toEqual(ids);
    expect(calls.map((u) => u.searchParams.getAll('id').length)).toEqual([250, 250, 100]);
  });

  it('a batch closes at 250 distinct ids: a repeat joins the open batch, the 251st id opens the next call', async () => {
    const calls = bulkPages();
    const client = newClient();
    const ids = [...Array.from({ length: 250 }, (_, i) => String(i + 1)), '7', '251', '7'];
    const pages = await Promise.all(ids.map((id) => client.getPage(id)));
    expect(pages.map((p) => p.id)).toEqual(ids);
    expect(calls.map((u) => u.searchParams.getAll('id').length)).toEqual([250, 2]); // the first repeat of 7 cost nothing
    expect(calls[1]!.searchParams.getAll('id')).toEqual(['251', '7']); // asked after the cap: it rides the next call
  });

  it('follows the _links.next cursor until the chunk is complete', async () => {
    const calls = bulkPages({ pageSize: 100 });
    const client = newClient();
    const ids = Array.from({ length: 230 }, (_, i) => String(i + 1));
    const pages = await Promise.all(ids.map((id) => client.getPage(id)));
    expect(pages).toHaveLength(230);
    expect(calls.map((u) => u.searchParams.get('cursor'))).toEqual([null, '100', '200']);
    expect(client.stats.transportCalls).toBe(3);
  });

  it('ids missing from the bulk answer reject with not-found, mayBeRestricted; the others resolve', async () => {
    bulkPages({ hidden: new Set(['2', '404']) });
    const client = newClient();
    const results = await Promise.allSettled(['1', '2', '3', '404'].map((id) => client.getPage(id)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const e = (results[1] as PromiseRejectedResult).reason;
    expect(e).toMatchObject({
      name: 'ConfluenceError',
      kind: 'not-found',
      status: 404,
      mayBeRestricted: true,
      path: '/wiki/api/v2/pages/2',
    });
    expect(e.message).toMatch(/no access/);
  });

  it('an id that is not a page id fails alone, without joining (and breaking) the batch', async () => {
    const calls = bulkPages();
    const client = newClient();
    const [good, bad] = await Promise.allSettled([client.getPage('1'), client.getPage('abc')]);
    expect(good).toMatchObject({ status: 'fulfilled', value: { title: 'Page 1' } });
    expect(bad).toMatchObject({ status: 'rejected', reason: { kind: 'not-found', status: 404 } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.searchParams.getAll('id')).toEqual(['1']);
  });

  it('a failing bulk call rejects every caller of that chunk with the same typed error', async () => {
    server.use(
      http.get(SITE + '/wiki/api/v2/pages', () =>
        json(403, { message: 'Current user not permitted to use Confluence', statusCode: 403 }),
      ),
    );
    const client = newClient();
    const results = await Promise.allSettled(['1', '2'].map((id) => client.getPage(id)));
    expect(results.map((r) => (r as PromiseRejectedResult).reason.reason)).toEqual([
      'product-access',
      'product-access',
    ]);
  });

  it('body formats: storage is batched with body-format, view uses the single-page endpoint', async () => {
    const calls = bulkPages();
    let single: URL | undefined;
    server.use(
      http.get(SITE + '/wiki/api/v2/pages/:id', ({ request, params }) => {
        single = new URL(request.url);
        return json(200, { id: params.id, title: 'Single' });
      }),
    );
    const client = newClient();
    const [a, b, c] = await Promise.all([
      client.getPage('1', { bodyFormat: 'storage' }),
      client.getPage('2', { bodyFormat: 'storage' }),
      client.getPage('3', { bodyFormat: 'view' }),
    ]);
    expect([a.title, b.title, c.title]).toEqual(['Page 1', 'Page 2', 'Single']);
    expect(calls[0]!.searchParams.get('body-format')).toBe('storage');
    expect(single!.pathname).toBe('/wiki/api/v2/pages/3');
    expect(single!.searchParams.get('body-format')).toBe('view');
  });

  it('one caller aborting does not disturb the batch for the others', async () => {
    bulkPages();
    const client = newClient();
    const c = new AbortController();
    const pa = client.getPage('1', { signal: c.signal });
    const pb = client.getPage('2');
    c.abort();
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect((await pb).id).toBe('2');
  });

  it('50 consumers asking for overlapping pages: far fewer transport calls than consumers', async () => {
    const calls = bulkPages();
    const client = newClient();
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.getPage(String((i % 20) + 1))));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.searchParams.getAll('id')).toHaveLength(20);
  });
});
