/**
 * Nothing secret reaches the app's hooks (issue 18): `onRefusal` and `onError` get the request with every `jwt`
 * query value redacted and without the headers that carry credentials, so the obvious log line writes no token.
 */
import { describe, expect, it } from 'vitest';
import { createConnectApp, createFetchHandler, jsonResponse } from '../../src/server/index.js';
import { redactUrl } from '../../src/server/app/logged-request.js';
import { memoryStore, seedTenant } from './helpers/tenant-fixture.js';
import { APP_KEY, mintSymmetric } from './helpers/tokens.js';

const APP = 'https://app.example.com';

/** Everything a hook was handed, as one string: what a logger that prints it would write. */
const logged = (value: unknown) => JSON.stringify(value);

describe('hooks see no token', () => {
  it('onRefusal: the ?jwt= of a refused module URL is redacted and the Authorization header left out', async () => {
    const store = await memoryStore();
    const tenant = await seedTenant(store);
    const seen: unknown[] = [];
    const app = createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      onRefusal: (error, request) => seen.push({ code: error.code, request }),
      routes: [
        { method: 'GET', path: '/macro', auth: 'iframe', handle: () => jsonResponse(200, {}) },
        { method: 'GET', path: '/api/me', auth: 'context', handle: () => jsonResponse(200, {}) },
      ],
    });
    const handler = createFetchHandler(app);
    // A token for another URL: valid signature, wrong qsh, so it is refused and the refusal is logged.
    const iframeToken = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: '/elsewhere' } });
    const refusedIframe = await handler(new Request(`${APP}/macro?lic=none&jwt=${iframeToken}&xdm_e=x`));
    expect(refusedIframe.status).toBe(401);
    const contextToken = await mintSymmetric({ ...tenant, qsh: 'context', exp: 1, iat: 0 });
    const refusedContext = await handler(
      new Request(`${APP}/api/me`, { headers: { authorization: `JWT ${contextToken}`, 'x-trace': 'abc' } }),
    );
    expect(refusedContext.status).toBe(401);

    expect(seen).toHaveLength(2);
    expect(logged(seen)).not.toContain(iframeToken);
    expect(logged(seen)).not.toContain(contextToken);
    expect(seen[0]).toMatchObject({
      request: { method: 'GET', url: `${APP}/macro?lic=none&jwt=REDACTED&xdm_e=x` },
    });
    expect(seen[1]).toMatchObject({ request: { headers: { 'x-trace': 'abc' } } });
    expect((seen[1] as { request: { headers: Record<string, string> } }).request.headers).not.toHaveProperty(
      'authorization',
    );
    await store.close();
  });

  it('onError: a handler that throws is logged with the redacted request', async () => {
    const store = await memoryStore();
    const tenant = await seedTenant(store);
    const seen: unknown[] = [];
    const app = createConnectApp({
      appKey: APP_KEY,
      baseUrl: APP,
      tenants: store,
      onError: (error, request) => seen.push({ message: (error as Error).message, request }),
      routes: [
        {
          method: 'GET',
          path: '/macro',
          auth: 'iframe',
          handle: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    const url = `${APP}/macro?a=1`;
    const token = await mintSymmetric({ ...tenant, qsh: { method: 'GET', url: '/macro?a=1' } });
    const response = await createFetchHandler(app)(new Request(`${url}&jwt=${token}`));
    expect(response.status).toBe(500);
    expect(logged(seen)).not.toContain(token);
    expect(seen).toEqual([{ message: 'boom', request: expect.objectContaining({ url: `${url}&jwt=REDACTED` }) }]);
    await store.close();
  });

  it('redacts jwt however the name is cased or percent-encoded, and leaves other parameters alone', () => {
    expect(redactUrl('/m?JWT=a.b.c&%6Awt=d&jwtx=keep&x=jwt=no')).toBe(
      '/m?JWT=REDACTED&%6Awt=REDACTED&jwtx=keep&x=jwt=no',
    );
    expect(redactUrl('https://a.test/m?jwt=a.b.c#frag')).toBe('https://a.test/m?jwt=REDACTED#frag');
  });
});
