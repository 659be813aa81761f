/**
 * Many Connect apps are plain HTML with a <script type=module> and no bundler, so nothing defines
 * `process.env.NODE_ENV`. The client must work there: bundle the root entry WITHOUT a define and run it in a
 * context that has fetch-like globals but no `process`.
 */
import { build } from 'esbuild';
import { createContext, runInContext } from 'node:vm';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

test('the root entry runs where `process` does not exist (no bundler), scope check included', async () => {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: 'kit',
    write: false,
    platform: 'browser',
    logLevel: 'silent',
  });
  const warnings: string[] = [];
  const context = createContext({
    console: { warn: (m: string) => warnings.push(String(m)), error() {}, log() {} },
    setTimeout,
    clearTimeout,
    queueMicrotask,
    AbortController,
    TextDecoder,
    FormData,
    Blob,
    URL,
    Promise,
    JSON,
    Map,
    Set,
    Error,
    Date,
    Math,
    String,
    Object,
    Array,
    RegExp,
  });
  runInContext(out.outputFiles[0]!.text, context);
  expect(runInContext('typeof process', context)).toBe('undefined');

  const calls: string[] = [];
  context.fakeFetch = async (url: string) => {
    calls.push(url);
    return new Response('{"results":[]}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const result = await runInContext(
    `(async () => {
       const client = kit.createConfluenceClient({
         transport: kit.createFetchTransport({ baseUrl: 'https://site.example/wiki', fetch: fakeFetch }),
         scopes: ['READ'],
       });
       const res = await client.request({ method: 'DELETE', path: '/wiki/api/v2/pages/1' });
       return res.status;
     })()`,
    context,
  );
  expect(result).toBe(200);
  expect(calls).toEqual(['https://site.example/wiki/api/v2/pages/1']);
  // With no bundler there is no production flag, so it behaves like production: no development warnings.
  expect(warnings).toEqual([]);
});
