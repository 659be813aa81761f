import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConfluenceClient, type Transport } from '../../src/client';
import { missingScope, requiredScope } from '../../src/client/internal/scopes';

const ok: Transport = { kind: 'fetch', send: async () => ({ status: 200, statusText: 'OK', headers: {}, body: '' }) };
afterEach(() => vi.restoreAllMocks());

describe('descriptor scope check', () => {
  it('maps method and path to the least Connect scope', () => {
    expect(requiredScope('GET', '/wiki/api/v2/pages/1')).toBe('READ');
    expect(requiredScope('HEAD', '/wiki/api/v2/pages/1')).toBe('READ');
    expect(requiredScope('POST', '/wiki/api/v2/pages')).toBe('WRITE');
    expect(requiredScope('PUT', '/wiki/api/v2/pages/1')).toBe('WRITE');
    expect(requiredScope('PATCH', '/wiki/x')).toBe('WRITE');
    expect(requiredScope('DELETE', '/wiki/api/v2/pages/1')).toBe('DELETE');
    expect(requiredScope('POST', '/wiki/rest/api/space/DEV/permission')).toBe('SPACE_ADMIN');
    expect(requiredScope('GET', '/wiki/rest/api/space/DEV/permission')).toBe('READ');
    expect(requiredScope('GET', '/wiki/rest/api/admin/user/email')).toBe('ADMIN');
    expect(requiredScope('GET', '/wiki/rest/api/audit?startDate=1')).toBe('ADMIN');
  });

  it('scopes imply the ones below them; case does not matter; ACT_AS_USER grants nothing', () => {
    expect(missingScope(['read'], 'GET', '/wiki/x')).toBeUndefined();
    expect(missingScope(['READ'], 'PUT', '/wiki/x')).toBe('WRITE');
    expect(missingScope(['DELETE'], 'PUT', '/wiki/x')).toBeUndefined();
    expect(missingScope(['SPACE_ADMIN'], 'GET', '/wiki/rest/api/admin/x')).toBe('ADMIN');
    expect(missingScope(['admin'], 'DELETE', '/wiki/rest/api/space/X/permission/1')).toBeUndefined();
    expect(missingScope(['ACT_AS_USER'], 'GET', '/wiki/x')).toBe('READ');
  });

  it("'warn' (default with scopes) warns once per missing scope and still sends", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const client = createConfluenceClient({ transport: ok, scopes: ['READ'] });
    await client.request({ method: 'PUT', path: '/wiki/api/v2/pages/1', body: {} });
    await client.request({ method: 'PUT', path: '/wiki/api/v2/pages/1', body: {} });
    await client.request({ path: '/wiki/api/v2/pages/1' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/needs scope WRITE/);
    expect(client.stats.transportCalls).toBe(3);
  });

  it("'error' rejects with forbidden/app-scope before the transport is called", async () => {
    const client = createConfluenceClient({ transport: ok, scopes: ['read', 'write'], scopeCheck: 'error' });
    await expect(client.request({ method: 'DELETE', path: '/wiki/api/v2/pages/1' })).rejects.toMatchObject({
      kind: 'forbidden',
      reason: 'app-scope',
      code: 'CONFLUENCE_SCOPE_MISSING',
      status: 0,
    });
    expect(client.stats.transportCalls).toBe(0);
    await client.request({ method: 'POST', path: '/wiki/api/v2/pages', body: {} });
    expect(client.stats.transportCalls).toBe(1);
  });

  it("'off', or no scopes given: no check", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await createConfluenceClient({ transport: ok }).request({ method: 'DELETE', path: '/wiki/x' });
    await createConfluenceClient({ transport: ok, scopes: [], scopeCheck: 'off' }).request({
      method: 'DELETE',
      path: '/wiki/x',
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it('is a development check: a NODE_ENV=production bundle leaves it out, a development bundle keeps it', async () => {
    const bundle = async (env: string) => {
      const r = await build({
        entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
        bundle: true,
        minify: true,
        format: 'esm',
        write: false,
        logLevel: 'silent',
        define: { 'process.env.NODE_ENV': JSON.stringify(env) },
      });
      return r.outputFiles[0]!.text;
    };
    expect(await bundle('development')).toContain('CONFLUENCE_SCOPE_MISSING');
    expect(await bundle('production')).not.toContain('CONFLUENCE_SCOPE_MISSING');
  });
});
