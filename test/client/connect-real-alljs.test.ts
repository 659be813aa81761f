// Drives Atlassian's real plugin build (npm atlassian-connect-js dist/iframe.js, i.e. all.js) in jsdom, bootstrapped
// through window.name exactly as connect-host does, with a minimal host on the other end of postMessage speaking
// simple-xdm's wire format: {type:'req', mid, mod:'_globals', fn:'request', args} in, {type:'resp', mid, forPlugin, args} out.
import { JSDOM, VirtualConsole } from 'jsdom';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfluenceClient, createConnectTransport, type ConnectRequestHost } from '../../src/client';

const HOST_ORIGIN = 'https://example.atlassian.net';
const iframeJs = readFileSync(createRequire(import.meta.url).resolve('atlassian-connect-js/dist/iframe.js'), 'utf8');

interface Wire {
  type: string;
  mid?: string;
  mod?: string;
  fn?: string;
  args?: any[];
}
type Reply =
  { ok: boolean; status: number; body: string; headers?: Record<string, string> } | { hostError: string } | 'never';

let dom: any; // a JSDOM (untyped, see jsdom.d.ts)
const requests: Wire[] = [];
let route: (url: string) => Reply = () => ({ ok: true, status: 200, body: '{}' });

beforeAll(() => {
  dom = new JSDOM('<!doctype html><html><body><div class="ac-content"></div></body></html>', {
    url: 'https://app.example.com/macro.html',
    runScripts: 'outside-only',
    virtualConsole: new VirtualConsole(),
  });
  const w = dom.window;
  // What connect-host puts into the iframe's name attribute (reference: connect-emulator §5).
  w.name = JSON.stringify({
    extension_id: 'my-app__macro__abc',
    origin: HOST_ORIGIN,
    options: { globalOptions: {} },
    api: { _globals: { request: { args: ['url', 'options'], returnsPromise: true } } },
  });
  // Top-level jsdom window: parent === top === window, so the plugin posts to itself; intercept and answer as the host.
  w.postMessage = (data: Wire) => {
    if (data.type != 'req' || data.fn != 'request') return;
    requests.push(data);
    const reply = route(data.args![0].url);
    if (reply == 'never') return;
    const xhr =
      'ok' in reply
        ? {
            status: reply.status,
            statusText: '',
            responseText: reply.body,
            readyState: 4,
            headers: reply.headers ?? { 'content-type': 'application/json' },
          }
        : undefined;
    // connect-host: resolve → args [null, value]; reject with a plain object → [obj]; reject with an Error → [message].
    const args =
      'hostError' in reply
        ? [reply.hostError]
        : reply.ok
          ? [null, { body: reply.body, xhr }]
          : [{ err: reply.body, xhr }];
    setTimeout(
      () =>
        w.dispatchEvent(
          new w.MessageEvent('message', {
            data: { mid: data.mid, type: 'resp', forPlugin: true, args },
            origin: HOST_ORIGIN,
            source: w as any,
          }),
        ),
      0,
    );
  };
  w.eval(iframeJs);
});
afterAll(() => dom.window.close());

const client = () =>
  createConfluenceClient({
    transport: createConnectTransport({ AP: (dom.window as unknown as { AP: ConnectRequestHost }).AP }),
    retry: false,
    timeoutMs: 200,
  });

describe('Connect transport against the real all.js (atlassian-connect-js dist/iframe.js)', () => {
  it('the bootstrapped plugin exposes AP.request', () => {
    expect(typeof (dom.window as any).AP.request).toBe('function');
  });

  it('200: resolves through the real plugin; the request crossed the wire without /wiki', async () => {
    route = () => ({ ok: true, status: 200, body: '{"id":"1","title":"Home"}' });
    const r = await client().request({ path: '/wiki/api/v2/pages/1', query: { 'body-format': 'storage' } });
    expect(r.data).toEqual({ id: '1', title: 'Home' });
    const last = requests.at(-1)!;
    expect(last).toMatchObject({ type: 'req', mod: '_globals', fn: 'request' });
    expect(last.args![0]).toMatchObject({
      url: '/api/v2/pages/1?body-format=storage',
      type: 'GET',
      headers: { Accept: 'application/json' },
    });
  });

  it('403: the plugin rejects {err, xhr}; the client classifies it', async () => {
    route = () => ({
      ok: false,
      status: 403,
      body: '{"message":"Current user not permitted to use Confluence","statusCode":403}',
    });
    await expect(client().request({ path: '/wiki/rest/api/user/current' })).rejects.toMatchObject({
      kind: 'forbidden',
      reason: 'product-access',
      status: 403,
    });
  });

  it('404 on content: not-found, mayBeRestricted', async () => {
    route = () => ({
      ok: false,
      status: 404,
      body: '{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}',
    });
    await expect(client().request({ path: '/wiki/api/v2/pages/9' })).rejects.toMatchObject({
      kind: 'not-found',
      mayBeRestricted: true,
    });
  });

  it('a host that rejected with an Error reaches the app as a string → network error', async () => {
    route = () => ({ hostError: 'HTTP 502 upstream' });
    const e = await client()
      .request({ path: '/wiki/api/v2/pages/1' })
      .catch((x) => x);
    expect(e).toMatchObject({ kind: 'network', status: 0 });
    expect(e.message).toContain('HTTP 502 upstream');
  });

  it('a host that never answers → timeout (all.js itself would wait forever)', async () => {
    route = () => 'never';
    await expect(client().request({ path: '/wiki/api/v2/pages/1' })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('a JSON body and experimental flag survive the structured-clone sanitiser', async () => {
    route = () => ({ ok: true, status: 200, body: '{"id":"2"}' });
    await client().request({
      method: 'PUT',
      path: '/api/v2/pages/2',
      body: { title: 'T', version: { number: 2 } },
      experimental: true,
    });
    expect(requests.at(-1)!.args![0]).toMatchObject({
      url: '/api/v2/pages/2',
      type: 'PUT',
      data: '{"title":"T","version":{"number":2}}',
      contentType: 'application/json',
      experimental: true,
    });
  });

  // The sanitiser whitelists Blob/File (so files cross in a browser); here the file is a Node Blob, not the jsdom realm's,
  // so it arrives stripped and only the field's presence is checked.
  it('multipart: form fields reach the host as a plain object with contentType multipart/form-data', async () => {
    route = () => ({ ok: true, status: 200, body: '{"results":[]}' });
    const file = new Blob(['hello'], { type: 'text/plain' });
    await client().request({
      method: 'POST',
      path: '/wiki/rest/api/content/1/child/attachment',
      multipart: true,
      body: { file, minorEdit: true },
    });
    const sent = requests.at(-1)!.args![0];
    expect(sent).toMatchObject({
      type: 'POST',
      contentType: 'multipart/form-data',
      headers: { 'X-Atlassian-Token': 'no-check' },
      data: { minorEdit: 'true' },
    });
    expect(sent.data).toHaveProperty('file');
  });

  it('batched getPage goes through as one bulk AP.request', async () => {
    const before = requests.length;
    route = (url) => ({
      ok: true,
      status: 200,
      body: JSON.stringify({
        results: new URL(url, HOST_ORIGIN).searchParams.getAll('id').map((id) => ({ id, title: 'P' + id })),
        _links: {},
      }),
    });
    const c = client();
    const pages = await Promise.all(['1', '2', '3'].map((id) => c.getPage(id)));
    expect(pages.map((p) => p.title)).toEqual(['P1', 'P2', 'P3']);
    expect(requests.length - before).toBe(1);
    expect(requests.at(-1)!.args![0].url).toBe('/api/v2/pages?id=1&id=2&id=3&limit=250');
  });
});
