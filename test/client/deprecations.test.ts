import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConfluenceClient, createFetchTransport } from '../../src/client';
import { v2ReplacementOf } from '../../src/client/internal/deprecations';
import { SITE, json, setupMsw } from './helpers';

const server = setupMsw();

const DEPRECATED = {
  Deprecation: 'true',
  Warning: '299 - "Deprecated API, will be removed on Mon, 2 Dec 2024 00:00:00 GMT"',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const newClient = () => createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }), retry: false });

describe('deprecated and removed v1 operations (development builds)', () => {
  it('warns once per operation, naming the v2 replacement, whatever the ids', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    server.use(
      http.get(`${SITE}/wiki/rest/api/content/:id`, ({ params }) =>
        json(200, { id: params.id, type: 'page', title: 'Old' }, DEPRECATED),
      ),
    );
    const client = newClient();
    await client.request({ path: '/wiki/rest/api/content/1' });
    await client.request({ path: '/wiki/rest/api/content/2', query: { expand: 'version' } });
    expect(warn).toHaveBeenCalledTimes(1);
    const [message] = warn.mock.calls[0]!;
    expect(message).toContain('GET /wiki/rest/api/content/{id} is deprecated by Confluence');
    expect(message).toContain('will be removed on Mon, 2 Dec 2024');
    expect(message).toContain('use /wiki/api/v2/pages/{id}');
  });

  it('a Warning: 299 alone is enough; an operation without a v2 replacement is named without one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    server.use(
      http.get(`${SITE}/wiki/rest/api/contentbody/convert/view`, () =>
        json(200, {}, { Warning: '299 - "Deprecated API"' }),
      ),
    );
    await newClient().request({ path: '/wiki/rest/api/contentbody/convert/view' });
    expect(warn).toHaveBeenCalledWith(
      'confluence-iframe-kit: GET /wiki/rest/api/contentbody/convert/view is deprecated by Confluence (Warning: 299 - "Deprecated API").',
    );
  });

  it('a removed operation (410) is a gone error, reason removed-endpoint, sent once, and the console names v2', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    server.use(http.get(`${SITE}/wiki/rest/api/space`, () => json(410, { message: 'Gone' })));
    const client = createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }) });
    const error = await client.request({ path: '/wiki/rest/api/space' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: 'gone', code: 'CONFLUENCE_GONE', status: 410, reason: 'removed-endpoint' });
    expect(client.stats.transportCalls).toBe(1);
    expect(warn).toHaveBeenCalledWith(
      'confluence-iframe-kit: GET /wiki/rest/api/space has been removed by Confluence (410 Gone); use /wiki/api/v2/spaces instead.',
    );
  });

  it('answers without the headers warn nothing, and production builds never warn', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    server.use(
      http.get(`${SITE}/wiki/api/v2/pages/1`, () => json(200, { id: '1' })),
      http.get(`${SITE}/wiki/rest/api/content/1`, () => json(200, { id: '1' }, DEPRECATED)),
    );
    await newClient().request({ path: '/wiki/api/v2/pages/1' });
    expect(warn).not.toHaveBeenCalled();
    vi.stubEnv('NODE_ENV', 'production');
    await newClient().request({ path: '/wiki/rest/api/content/1' });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('the v2 replacement table', () => {
  it.each([
    ['/wiki/rest/api/content/{id}/child/page', '/wiki/api/v2/pages/{id}/children'],
    ['/wiki/rest/api/content/{id}/property/tally', '/wiki/api/v2/pages/{id}/properties'],
    ['/wiki/rest/api/space/DEV', '/wiki/api/v2/spaces?keys={key}'],
    ['/wiki/rest/api/space/DEV/content', '/wiki/api/v2/spaces/{id}/pages'],
    ['/wiki/rest/api/user/bulk', 'POST /wiki/api/v2/users-bulk'],
  ])('%s → %s', (template, replacement) => {
    expect(v2ReplacementOf(template)).toBe(replacement);
  });

  it('has none for CQL search and the current user, which have no v2 equivalent', () => {
    expect(v2ReplacementOf('/wiki/rest/api/search')).toBeUndefined();
    expect(v2ReplacementOf('/wiki/rest/api/user/current')).toBeUndefined();
  });
});

describe('what production bundles carry', () => {
  /** The entry bundled as an app's build would: minified, NODE_ENV defined, peers left out. */
  const bundle = async (entry: string, env: string) => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
      jsx: 'automatic',
      external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', '@forge/bridge'],
      define: { 'process.env.NODE_ENV': JSON.stringify(env) },
    });
    return result.outputFiles[0]!.text;
  };

  it('the client: the deprecation warning and its v2 table in development only', async () => {
    expect(await bundle('../../src/index.ts', 'development')).toContain('users-bulk');
    expect(await bundle('../../src/index.ts', 'production')).not.toContain('users-bulk');
  }, 30_000);

  it("./react: the developer's hints and console line in development only", async () => {
    const development = await bundle('../../src/react/index.ts', 'development');
    expect(development).toContain('npx confluence-iframe-kit emulate');
    expect(development).toContain('refused a request as invalid');
    const production = await bundle('../../src/react/index.ts', 'production');
    expect(production).not.toContain('npx confluence-iframe-kit emulate');
    expect(production).not.toContain('@forge/bridge could not be loaded');
    expect(production).not.toContain('refused a request as invalid');
  }, 30_000);
});
