// @vitest-environment node
// (esbuild and msw/node want Node's own TextEncoder, not jsdom's.)
import { HttpResponse, http } from 'msw';
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

describe('extraHandlers with msw', () => {
  const world = createWorld({ actingUser: 'viewer' });
  const likes = http.get('*/wiki/api/v2/pages/:id/likes/count', () => HttpResponse.json({ count: 3 }));
  // Returns nothing: the request passes on to the emulator.
  const spy = http.get('*/wiki/api/v2/pages/:id', () => undefined);
  const server = setupServer(...createConfluenceHandlers(world, { extraHandlers: [likes, spy] }));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  test('an extra endpoint answers and is logged; one that passes leaves the request to the emulator', async () => {
    const origin = 'https://acme.atlassian.net';
    const answer = await fetch(`${origin}/wiki/api/v2/pages/${PAGES.home}/likes/count`);
    expect(await answer.json()).toEqual({ count: 3 });
    expect(world.requests.at(-1)).toMatchObject({ path: `/wiki/api/v2/pages/${PAGES.home}/likes/count`, status: 200 });
    const page = await fetch(`${origin}/wiki/api/v2/pages/${PAGES.home}`);
    expect(page.status).toBe(200);
    expect((await page.json()).title).toBe('Engineering Handbook');
  });
});

async function bundle(file: string, external: string[]) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(file, import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser', // a node: import cannot resolve here, so the build itself fails on one
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    external,
  });
  return {
    inputs: Object.keys(result.metafile.inputs),
    imports: Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path)),
  };
}

describe('the kit runs in a browser', () => {
  test('core (what the emulator host page loads) bundles without node builtins, React or render.tsx', async () => {
    const { inputs, imports } = await bundle('../../src/testing/core.ts', ['msw', 'jose']);
    expect(inputs.some((i) => /node_modules\/(react|@testing-library)/.test(i))).toBe(false);
    expect(inputs.some((i) => i.endsWith('render.tsx') || i.includes('src/react/'))).toBe(false);
    expect(imports.filter((p) => p.startsWith('node:'))).toEqual([]);
  });

  test('the full entry adds renderWithConfluence with its peers kept external', async () => {
    const { inputs, imports } = await bundle('../../src/testing/index.ts', [
      'msw',
      'jose',
      'react',
      'react/jsx-runtime',
      'react-dom',
      '@tanstack/react-query',
      '@testing-library/react',
    ]);
    expect(inputs.some((i) => i.endsWith('render.tsx'))).toBe(true);
    expect(imports).toContain('@testing-library/react');
    expect(imports.filter((p) => p.startsWith('node:'))).toEqual([]);
  });
});
