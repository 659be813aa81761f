import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createConfluenceClient,
  createConnectTransport,
  createFetchTransport,
  createForgeTransport,
  type ConnectRequestHost,
} from '../../src/client';
import { SITE, connectDouble, forgeDouble, json, setupMsw } from './helpers';

const server = setupMsw();
const JSON_CT = { 'content-type': 'application/json' };

describe('Connect transport (AP.request promise form)', () => {
  afterEach(() => void delete (globalThis as { AP?: unknown }).AP);

  it('a host fault shaped { err, xhr: { status: 0 } } reads as a network error a developer can act on', async () => {
    const AP: ConnectRequestHost = {
      request: () => Promise.reject({ err: 'Request timed out in the host', xhr: { status: 0 } }),
    };
    const e = await createConfluenceClient({ transport: createConnectTransport({ AP }), retry: false })
      .request({ path: '/x' })
      .catch((x) => x);
    expect(e).toMatchObject({ kind: 'network', status: 0 });
    expect(e.message).toContain('Request timed out in the host');
    expect(e.message).not.toContain('[object Object]');
  });

  it('sends a context-path-relative URL (no /wiki) and parses a JSON body from {body, xhr}', async () => {
    const { AP, calls } = connectDouble(() => ({ status: 200, body: '{"id":"1","title":"Home"}', headers: JSON_CT }));
    const client = createConfluenceClient({ transport: createConnectTransport({ AP }) });
    const r = await client.request({ path: '/wiki/api/v2/pages/1', query: { 'body-format': 'storage' } });
    expect(r).toMatchObject({
      status: 200,
      data: { id: '1', title: 'Home' },
      headers: { 'content-type': 'application/json' },
    });
    expect(calls[0]).toMatchObject({
      url: '/api/v2/pages/1?body-format=storage',
      type: 'GET',
      headers: { Accept: 'application/json' },
    });
    expect(client.transport.kind).toBe('connect');
  });

  it('accepts paths given without /wiki and v1 paths', async () => {
    const { AP, calls } = connectDouble(() => ({ status: 200, body: '{}', headers: JSON_CT }));
    const client = createConfluenceClient({ transport: createConnectTransport({ AP }) });
    await client.request({ path: '/rest/api/content/5' });
    expect(calls[0]!.url).toBe('/rest/api/content/5');
  });

  it('uses the global AP, looked up at send time', async () => {
    const transport = createConnectTransport();
    const { AP } = connectDouble(() => ({ status: 200, body: '[1]', headers: JSON_CT }));
    (globalThis as { AP?: ConnectRequestHost }).AP = AP;
    expect((await createConfluenceClient({ transport }).request({ path: '/api/v2/spaces' })).data).toEqual([1]);
  });

  it('AP missing → typed host-unavailable error, not a TypeError', async () => {
    const client = createConfluenceClient({ transport: createConnectTransport() });
    const e = await client.request({ path: '/wiki/api/v2/pages/1' }).catch((x) => x);
    expect(e).toMatchObject({
      name: 'ConfluenceError',
      kind: 'host-unavailable',
      code: 'CONFLUENCE_HOST_UNAVAILABLE',
      status: 0,
    });
    expect(e.message).toMatch(/AP\.request/);
    // an all.js outside an iframe: AP exists, AP.request does not
    (globalThis as { AP?: unknown }).AP = { resize() {} };
    expect((await client.request({ path: '/wiki/api/v2/pages/1' }).catch((x) => x)).kind).toBe('host-unavailable');
  });

  it('a {err, xhr} rejection becomes a classified HTTP error (403 with the Confluence body)', async () => {
    const body = '{"message":"Current user not permitted to use Confluence","statusCode":403}';
    const { AP } = connectDouble(() => ({ status: 403, statusText: 'Forbidden', body, headers: JSON_CT }));
    const e = await createConfluenceClient({ transport: createConnectTransport({ AP }) })
      .request({ path: '/wiki/rest/api/user/current' })
      .catch((x) => x);
    expect(e).toMatchObject({ kind: 'forbidden', reason: 'product-access', status: 403, body: JSON.parse(body) });
  });

  it('reads headers from xhr.headers in any case, and falls back to getAllResponseHeaders()', async () => {
    const AP: ConnectRequestHost = {
      request: () => Promise.reject({ err: '', xhr: { status: 429, headers: { 'Retry-After': '60' } } }),
    };
    expect(
      await createConfluenceClient({ transport: createConnectTransport({ AP }), retry: false })
        .request({ path: '/x' })
        .catch((x) => x),
    ).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
    const AP2: ConnectRequestHost = {
      request: () =>
        Promise.reject({
          err: '',
          xhr: {
            status: 429,
            getAllResponseHeaders: () => 'Content-Type: text/plain\r\nRetry-After: Wed, 21 Oct 2099 07:28:00 GMT\r\n',
          },
        }),
    };
    const e = await createConfluenceClient({ transport: createConnectTransport({ AP: AP2 }), retry: false })
      .request({ path: '/x' })
      .catch((x) => x);
    expect(e.headers).toMatchObject({ 'content-type': 'text/plain', 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' });
    // A 2099 date: beyond the one-hour cap, so the quota with its reset unknown.
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.rateLimit).toEqual({ scope: 'quota', reason: undefined });
  });

  it('missing headers: JSON is still recognised by shape, text stays text', async () => {
    const answers = ['{"a":1}', 'plain words'];
    const AP: ConnectRequestHost = { request: async () => ({ body: answers.shift()!, xhr: { status: 200 } }) };
    const client = createConfluenceClient({ transport: createConnectTransport({ AP }) });
    expect((await client.request({ path: '/a' })).data).toEqual({ a: 1 });
    expect((await client.request({ path: '/b' })).data).toBe('plain words');
  });

  it('a host that rejects with a string (host-side Error) → network error carrying that text', async () => {
    const AP: ConnectRequestHost = { request: () => Promise.reject('HTTP 500 host exploded') };
    const e = await createConfluenceClient({ transport: createConnectTransport({ AP }), retry: false })
      .request({ path: '/x' })
      .catch((x) => x);
    expect(e).toMatchObject({ kind: 'network', status: 0 });
    expect(e.message).toContain('host exploded');
  });

  it('an AP.request without promise form (returns undefined) → network error, not a crash', async () => {
    const AP: ConnectRequestHost = { request: () => undefined };
    expect(
      (
        await createConfluenceClient({ transport: createConnectTransport({ AP }), retry: false })
          .request({ path: '/x' })
          .catch((x) => x)
      ).kind,
    ).toBe('network');
  });

  it('binaryAttachment: asks for an ArrayBuffer and returns it untouched', async () => {
    const bytes = new Uint8Array([137, 80, 78, 71]).buffer;
    const { AP, calls } = connectDouble(() => ({ status: 200, body: bytes, headers: { 'content-type': 'image/png' } }));
    const r = await createConfluenceClient({ transport: createConnectTransport({ AP }) }).request<ArrayBuffer>({
      path: '/wiki/rest/api/content/1/child/attachment/att2/download',
      binary: true,
    });
    expect(calls[0]!.binaryAttachment).toBe(true);
    expect(new Uint8Array(r.data)).toEqual(new Uint8Array([137, 80, 78, 71]));
  });

  it('multipart: a plain object with contentType multipart/form-data and X-Atlassian-Token: no-check', async () => {
    const { AP, calls } = connectDouble(() => ({ status: 200, body: '{"results":[]}', headers: JSON_CT }));
    const file = new Blob(['hello'], { type: 'text/plain' });
    await createConfluenceClient({ transport: createConnectTransport({ AP }) }).request({
      method: 'POST',
      path: '/wiki/rest/api/content/1/child/attachment',
      multipart: true,
      body: { file, comment: 'v2' },
    });
    expect(calls[0]).toMatchObject({
      type: 'POST',
      contentType: 'multipart/form-data',
      headers: { 'X-Atlassian-Token': 'no-check' },
    });
    expect(calls[0]!.data).toMatchObject({ comment: 'v2' });
    expect((calls[0]!.data as { file: Blob }).file).toBeInstanceOf(Blob);
  });

  it('JSON bodies and experimental are passed through', async () => {
    const { AP, calls } = connectDouble(() => ({ status: 200, body: '{}', headers: JSON_CT }));
    await createConfluenceClient({ transport: createConnectTransport({ AP }) }).request({
      method: 'PUT',
      path: '/api/v2/pages/1',
      body: { title: 'T' },
      experimental: true,
      headers: { 'If-Match': '"3"' },
    });
    expect(calls[0]).toMatchObject({
      type: 'PUT',
      data: '{"title":"T"}',
      contentType: 'application/json',
      experimental: true,
      headers: { 'If-Match': '"3"' },
    });
  });
});

describe('Forge transport (requestConfluence)', () => {
  it('keeps the /wiki prefix and resolves 403 Responses (ok:false) into classified errors', async () => {
    const { requestConfluence, calls } = forgeDouble(() => ({
      status: 403,
      body: 'Request not in an authorized API scope',
      headers: { 'content-type': 'text/plain' },
    }));
    const client = createConfluenceClient({ transport: createForgeTransport({ requestConfluence }) });
    const e = await client.request({ path: '/api/v2/pages/3' }).catch((x) => x);
    expect(calls[0]!.path).toBe('/wiki/api/v2/pages/3');
    expect(e).toMatchObject({ kind: 'forbidden', reason: 'app-scope', status: 403 });
  });

  it('sends method, headers and a JSON body with its content type', async () => {
    const { requestConfluence, calls } = forgeDouble(() => ({ status: 200, body: '{"id":"9"}', headers: JSON_CT }));
    const r = await createConfluenceClient({ transport: createForgeTransport({ requestConfluence }) }).request({
      method: 'POST',
      path: '/wiki/api/v2/pages',
      body: { title: 'x' },
    });
    expect(r.data).toEqual({ id: '9' });
    expect(calls[0]!.init).toMatchObject({
      method: 'POST',
      body: '{"title":"x"}',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
  });

  it('missing requestConfluence → host-unavailable; a throwing bridge → network', async () => {
    expect(
      (
        await createConfluenceClient({ transport: createForgeTransport({}) })
          .request({ path: '/x' })
          .catch((x) => x)
      ).kind,
    ).toBe('host-unavailable');
    const boom = () => Promise.reject(new Error('Unable to establish a connection with the Custom UI bridge.'));
    const e = await createConfluenceClient({
      transport: createForgeTransport({ requestConfluence: boom }),
      retry: false,
    })
      .request({ path: '/x' })
      .catch((x) => x);
    expect(e).toMatchObject({ kind: 'network' });
    expect(e.message).toContain('Custom UI bridge');
  });
});

describe('fetch transport', () => {
  it('prefixes the base URL, adds auth headers per request, and tolerates a base URL ending in /wiki', async () => {
    const seen: string[] = [];
    server.use(
      http.get(SITE + '/wiki/api/v2/pages/1', ({ request }) => {
        seen.push(request.headers.get('authorization')!);
        return json(200, { id: '1' });
      }),
    );
    let n = 0;
    for (const baseUrl of [SITE, SITE + '/wiki/']) {
      const client = createConfluenceClient({
        transport: createFetchTransport({ baseUrl, getAuthHeaders: async () => ({ Authorization: `Bearer t${++n}` }) }),
      });
      expect((await client.request({ path: '/wiki/api/v2/pages/1' })).data).toEqual({ id: '1' });
    }
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('multipart FormData goes out as multipart with X-Atlassian-Token: no-check', async () => {
    let got: { ct: string | null; token: string | null; comment: FormDataEntryValue | null } | undefined;
    server.use(
      http.post(SITE + '/wiki/rest/api/content/1/child/attachment', async ({ request }) => {
        const form = await request.formData();
        got = {
          ct: request.headers.get('content-type'),
          token: request.headers.get('x-atlassian-token'),
          comment: form.get('comment'),
        };
        return json(200, { results: [] });
      }),
    );
    const form = new FormData();
    form.append('file', new Blob(['x']), 'a.txt');
    form.append('comment', 'hi');
    await createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) }).request({
      method: 'POST',
      path: '/wiki/rest/api/content/1/child/attachment',
      body: form,
    });
    expect(got).toMatchObject({ token: 'no-check', comment: 'hi' });
    expect(got!.ct).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('a binary request that fails still gets its JSON error body parsed', async () => {
    server.use(
      http.get(SITE + '/wiki/rest/api/content/1/child/attachment/att9/download', () =>
        json(404, { statusCode: 404, message: 'No attachment att9' }),
      ),
    );
    const e = await createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) })
      .request({ path: '/wiki/rest/api/content/1/child/attachment/att9/download', binary: true })
      .catch((x) => x);
    expect(e).toMatchObject({
      kind: 'not-found',
      mayBeRestricted: true,
      body: { statusCode: 404, message: 'No attachment att9' },
    });
  });

  it('a 204 answers data null', async () => {
    server.use(http.delete(SITE + '/wiki/api/v2/pages/1', () => new HttpResponse(null, { status: 204 })));
    const r = await createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) }).request({
      method: 'DELETE',
      path: '/wiki/api/v2/pages/1',
    });
    expect(r).toMatchObject({ status: 204, data: null });
  });
});
