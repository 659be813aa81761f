import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  confluencePath,
  createConfluenceClient,
  createConnectTransport,
  createFetchTransport,
  type ConnectRequestHost,
  type Transport,
  type TransportResponse,
} from '../../src/client';
import { buildPath } from '../../src/client/internal/build-path';
import { SITE, json, trackUnhandled, setupMsw } from './helpers';

const server = setupMsw();
afterEach(() => vi.useRealTimers());

/** A host that takes calls and answers only when the test says so. */
function manualHost(kind: Transport['kind'] = 'connect') {
  const pending: {
    path: string;
    answer: (r: Partial<TransportResponse>) => void;
    fail: (e: unknown) => void;
    signal?: AbortSignal;
  }[] = [];
  const transport: Transport = {
    kind,
    send: (r) =>
      new Promise((res, rej) =>
        pending.push({
          path: r.path,
          signal: r.signal,
          fail: rej,
          answer: (a) =>
            res({ status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body: '{}', ...a }),
        }),
      ),
  };
  return { transport, pending };
}

describe('paths and queries', () => {
  it('adds /wiki, encodes query values, repeats array keys, skips undefined/null', () => {
    expect(
      buildPath('api/v2/pages', {
        id: ['1', '2'],
        title: 'a&b =c/ü',
        cursor: undefined,
        x: null,
        limit: 5,
        flag: true,
      }),
    ).toBe('/wiki/api/v2/pages?id=1&id=2&title=a%26b%20%3Dc%2F%C3%BC&limit=5&flag=true');
    expect(buildPath('/wiki/api/v2/pages?limit=5', { cursor: 'abc=' })).toBe(
      '/wiki/api/v2/pages?limit=5&cursor=abc%3D',
    );
    expect(buildPath('/wikipedia')).toBe('/wiki/wikipedia');
    expect(buildPath('/wiki')).toBe('/wiki');
    expect(buildPath('https://example.atlassian.net/wiki/api/v2/pages?cursor=x')).toBe('/wiki/api/v2/pages?cursor=x');
  });

  it('confluencePath encodes each interpolation as one segment', () => {
    expect(confluencePath`/wiki/api/v2/pages/${'1/../../admin?x=1'}/children`).toBe(
      '/wiki/api/v2/pages/1%2F..%2F..%2Fadmin%3Fx%3D1/children',
    );
    expect(confluencePath`/wiki/rest/api/space/${'MY SPACE'}`).toBe('/wiki/rest/api/space/MY%20SPACE');
  });

  it('the query reaches the server decoded exactly', async () => {
    let params: URLSearchParams | undefined;
    server.use(
      http.get(SITE + '/wiki/rest/api/search', ({ request }) => {
        params = new URL(request.url).searchParams;
        return json(200, { results: [] });
      }),
    );
    await createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) }).request({
      path: '/rest/api/search',
      query: { cql: 'title ~ "a&b" AND space = "X"' },
    });
    expect(params!.get('cql')).toBe('title ~ "a&b" AND space = "X"');
  });
});

describe('response parsing', () => {
  it('JSON content type with a non-JSON body → typed server error CONFLUENCE_BAD_RESPONSE (not a SyntaxError)', async () => {
    server.use(
      http.get(
        SITE + '/wiki/api/v2/pages/1',
        () => new HttpResponse('<html>login</html>', { status: 200, headers: { 'content-type': 'application/json' } }),
      ),
    );
    const e = await createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) })
      .request({ path: '/wiki/api/v2/pages/1' })
      .catch((x) => x);
    expect(e).toMatchObject({
      name: 'ConfluenceError',
      kind: 'server',
      code: 'CONFLUENCE_BAD_RESPONSE',
      status: 200,
      body: '<html>login</html>',
    });
  });

  it('parses by content type: a JSON scalar is data; text/plain that looks like JSON stays text', async () => {
    server.use(
      http.get(
        SITE + '/wiki/scalar',
        () => new HttpResponse('"just a string"', { headers: { 'content-type': 'application/json' } }),
      ),
      http.get(SITE + '/wiki/braces', () => new HttpResponse('{"a":1}', { headers: { 'content-type': 'text/plain' } })),
    );
    const client = createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) });
    expect((await client.request({ path: '/wiki/scalar' })).data).toBe('just a string');
    expect((await client.request({ path: '/wiki/braces' })).data).toBe('{"a":1}');
  });

  it('non-JSON content types stay text', async () => {
    server.use(
      http.get(
        SITE + '/wiki/x',
        () => new HttpResponse('{not json but text/plain', { headers: { 'content-type': 'text/plain' } }),
      ),
    );
    expect(
      (
        await createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) }).request({
          path: '/wiki/x',
        })
      ).data,
    ).toBe('{not json but text/plain');
  });

  it('a body that cannot be serialised → bad-request, no transport call', async () => {
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(client.request({ method: 'POST', path: '/x', body: cyclic })).rejects.toMatchObject({
      kind: 'bad-request',
      code: 'CONFLUENCE_BAD_BODY',
    });
    expect(pending).toHaveLength(0);
  });
});

describe('timeout', () => {
  it('a host that never answers → timeout error after timeoutMs (default 15 s); a late answer is dropped', async () => {
    vi.useFakeTimers();
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport });
    let settled: unknown;
    const p = client.request({ path: '/wiki/api/v2/pages/1' }).then(
      (v) => (settled = v),
      (e) => (settled = e),
    );
    await vi.advanceTimersByTimeAsync(14_999);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(settled).toMatchObject({ kind: 'timeout', code: 'CONFLUENCE_TIMEOUT', status: 0 });
    expect((settled as Error).message).toContain('15000 ms');
    expect(pending[0]!.signal!.aborted).toBe(true); // cancellable transports (fetch) are told to stop
    pending[0]!.answer({ body: '{"late":true}' });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toMatchObject({ kind: 'timeout' });
    expect(client.stats.transportCalls).toBe(1); // timeouts are not retried: each would hang as long again
  });

  it('a never-answering real-shaped AP.request with a per-request timeout', async () => {
    vi.useFakeTimers();
    const AP: ConnectRequestHost = { request: () => new Promise(() => {}) };
    const p = createConfluenceClient({ transport: createConnectTransport({ AP }), timeoutMs: 60_000 })
      .request({ path: '/x', timeoutMs: 500 })
      .catch((x) => x);
    await vi.advanceTimersByTimeAsync(500);
    expect(await p).toMatchObject({ kind: 'timeout' });
  });
});

describe('abort', () => {
  it('rejects with the signal reason (AbortError) and aborts the transport signal', async () => {
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport });
    const c = new AbortController();
    const p = client.request({ path: '/x', signal: c.signal });
    await Promise.resolve();
    c.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(pending[0]!.signal!.aborted).toBe(true);
  });

  it('an already-aborted signal rejects without a transport call; custom reasons are kept', async () => {
    const { transport } = manualHost();
    const client = createConfluenceClient({ transport });
    await expect(client.request({ path: '/x', signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(client.stats.transportCalls).toBe(0);
  });

  it('fetch transport: abort cancels the in-flight fetch', async () => {
    let requestSignal: AbortSignal | undefined;
    server.use(
      http.get(SITE + '/wiki/slow', async ({ request }) => {
        requestSignal = request.signal;
        await new Promise((r) => setTimeout(r, 10_000));
        return json(200, {});
      }),
    );
    const c = new AbortController();
    const p = createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) }).request({
      path: '/wiki/slow',
      signal: c.signal,
    });
    await vi.waitFor(() => expect(requestSignal).toBeDefined());
    c.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(requestSignal!.aborted).toBe(true);
  });
});

describe('coalescing', () => {
  it('identical in-flight GETs share one transport call; all callers get the answer', async () => {
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport });
    const ps = [1, 2, 3].map(() => client.request({ path: '/wiki/api/v2/pages/1' }));
    const other = client.request({ path: '/wiki/api/v2/pages/2' });
    await Promise.resolve();
    expect(pending.map((p) => p.path)).toEqual(['/wiki/api/v2/pages/1', '/wiki/api/v2/pages/2']);
    pending[0]!.answer({ body: '{"id":"1"}' });
    pending[1]!.answer({ body: '{"id":"2"}' });
    expect((await Promise.all(ps)).map((r) => r.data)).toEqual([{ id: '1' }, { id: '1' }, { id: '1' }]);
    expect((await other).data).toEqual({ id: '2' });
    expect(client.stats.transportCalls).toBe(2);
    // after settling, a new GET goes out again
    const again = client.request({ path: '/wiki/api/v2/pages/1' });
    await Promise.resolve();
    expect(pending).toHaveLength(3);
    pending[2]!.answer({});
    await again;
  });

  it('never coalesces writes or GETs with different headers', async () => {
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport });
    const ps = [
      client.request({ method: 'POST', path: '/wiki/api/v2/pages', body: { a: 1 } }),
      client.request({ method: 'POST', path: '/wiki/api/v2/pages', body: { a: 1 } }),
      client.request({ path: '/wiki/x', headers: { 'If-None-Match': '"1"' } }),
      client.request({ path: '/wiki/x' }),
    ];
    await Promise.resolve();
    expect(pending).toHaveLength(4);
    for (const p of pending) p.answer({});
    await Promise.all(ps);
  });

  it('one caller aborting leaves the others served; all aborting cancels the shared trip', async () => {
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport });
    const a = new AbortController(),
      b = new AbortController();
    const pa = client.request({ path: '/wiki/y', signal: a.signal });
    const pb = client.request({ path: '/wiki/y', signal: b.signal });
    await Promise.resolve();
    a.abort();
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect(pending[0]!.signal!.aborted).toBe(false);
    pending[0]!.answer({ body: '{"ok":1}' });
    expect((await pb).data).toEqual({ ok: 1 });

    const c = new AbortController(),
      d = new AbortController();
    const pc = client.request({ path: '/wiki/z', signal: c.signal }).catch((x) => x);
    const pd = client.request({ path: '/wiki/z', signal: d.signal }).catch((x) => x);
    await Promise.resolve();
    c.abort();
    d.abort();
    expect((await pc).name).toBe('AbortError');
    expect((await pd).name).toBe('AbortError');
    expect(pending[1]!.signal!.aborted).toBe(true);
  });
});

describe('aborts that race the client', () => {
  it('an abort from inside onRetry stops the retries, and the next identical GET is served', async () => {
    vi.useFakeTimers();
    const { transport, pending } = manualHost();
    const client = createConfluenceClient({ transport, timeoutMs: 300 });
    const ac = new AbortController();
    const first = client.request({ path: '/wiki/r', signal: ac.signal, onRetry: () => ac.abort() }).catch((x) => x);
    await Promise.resolve();
    pending[0]!.answer({ status: 503, headers: { 'retry-after': '1' }, body: '' });
    expect((await first).name).toBe('AbortError');
    await vi.advanceTimersByTimeAsync(2000);
    expect(client.stats.transportCalls).toBe(1); // no attempt after the abort
    const second = client.request({ path: '/wiki/r' });
    await Promise.resolve();
    expect(pending).toHaveLength(2);
    pending[1]!.answer({ body: '{"fresh":true}' });
    expect((await second).data).toEqual({ fresh: true });
  });

  it('a GET asked for in the same tick as the last caller aborts gets its own trip (fetch really cancels)', async () => {
    const { transport, pending } = manualHost('fetch');
    const client = createConfluenceClient({ transport });
    const ac = new AbortController();
    const aborted = client.request({ path: '/wiki/same', signal: ac.signal }).catch((x) => x);
    await Promise.resolve();
    ac.abort();
    const after = client.request({ path: '/wiki/same' });
    await Promise.resolve();
    expect((await aborted).name).toBe('AbortError');
    expect(pending).toHaveLength(2);
    pending[1]!.answer({ body: '{"ok":2}' });
    expect((await after).data).toEqual({ ok: 2 });
  });
});

describe('bad input never leaks an unhandled rejection', () => {
  it('a transport that throws synchronously → network error', async () => {
    const transport: Transport = {
      kind: 'fetch',
      send: () => {
        throw new Error('not even a promise');
      },
    };
    const e = await createConfluenceClient({ transport, retry: false })
      .request({ path: '/x' })
      .catch((x) => x);
    expect(e).toMatchObject({ name: 'ConfluenceError', kind: 'network' });
    expect(e.message).toContain('not even a promise');
  });

  it('errors, aborts, timeouts and late failures across coalesced callers', async () => {
    const un = trackUnhandled();
    try {
      const { transport, pending } = manualHost();
      const client = createConfluenceClient({ transport, timeoutMs: 20, retry: false });
      const a = new AbortController();
      const settled = Promise.allSettled([
        client.request({ path: '/wiki/n', signal: a.signal }),
        client.request({ path: '/wiki/n', signal: a.signal }),
        client.request({ path: '/wiki/never' }),
        client.request({ path: '/wiki/fail' }),
        createConfluenceClient({ transport: createConnectTransport() }).request({ path: '/x' }),
      ]);
      await Promise.resolve();
      a.abort();
      pending.find((p) => p.path == '/wiki/fail')!.fail(new TypeError('socket hang up'));
      const results = await settled;
      pending.find((p) => p.path == '/wiki/n')!.fail(new Error('late failure after everyone left'));
      await un.reported();
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
      expect(
        results.map((r) => (r as PromiseRejectedResult).reason.kind ?? (r as PromiseRejectedResult).reason.name),
      ).toEqual(['AbortError', 'AbortError', 'timeout', 'network', 'host-unavailable']);
      expect(un.seen).toEqual([]);
    } finally {
      un.stop();
    }
  });
});
