// @vitest-environment node
// (esbuild and msw/node want Node's own TextEncoder, not jsdom's.)
import { setupServer } from 'msw/node';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { PAGES, createConfluenceHandlers, createWorld } from '../../src/testing/index';

describe('the handlers mount on any origin with msw', () => {
  const world = createWorld({ actingUser: 'viewer' });
  const server = setupServer(...createConfluenceHandlers(world));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  test.each(['https://acme.atlassian.net', 'http://localhost:5173'])('real fetch against %s', async (origin) => {
    const list = await fetch(`${origin}/wiki/api/v2/pages?limit=2`);
    expect(list.status).toBe(200);
    const json = await list.json();
    expect(json._links.base).toBe(`${origin}/wiki`);
    expect(list.headers.get('link')).toContain(`<${origin}/wiki>; rel="base"`);
    const restricted = await fetch(`${origin}/wiki/api/v2/pages/${PAGES.securityIncidents}`);
    expect(restricted.status).toBe(404);
  });
});

describe('the non-React kit runs in a browser', () => {
  test('bundles for the browser platform without node builtins or React', async () => {
    const entry = fileURLToPath(new URL('../../src/testing/index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      external: ['msw', 'jose'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => /node_modules\/react/.test(i))).toBe(false);
    expect(inputs.some((i) => i.includes('render'))).toBe(false);
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imports.filter((p) => p.startsWith('node:') || p === 'crypto')).toEqual([]);
  });
});
