import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfluenceError, createConfluenceClient, createFetchTransport, isConfluenceError } from '../../src/client';
import { SITE, json, setupMsw } from './helpers';

const server = setupMsw();
const client = createConfluenceClient({ transport: createFetchTransport({ baseUrl: SITE }), retry: false });

/** Answers `path` with `res` once and returns what the client rejected with. */
async function failure(
  path: string,
  res: () => Response,
  method: 'GET' | 'PUT' | 'POST' = 'GET',
): Promise<ConfluenceError> {
  server.use(http.all(SITE + path, res));
  const e = await client.request({ method, path, body: method == 'GET' ? undefined : { x: 1 } }).then(
    () => {
      throw new Error('expected a rejection');
    },
    (x) => x,
  );
  expect(isConfluenceError(e)).toBe(true);
  return e;
}

describe('error kinds (bodies and headers as documented, reference B.1/B.2/B.3/B.7)', () => {
  it('400 v1 body → bad-request with the v1 message', async () => {
    const e = await failure(
      '/wiki/rest/api/content/1',
      () =>
        json(400, {
          statusCode: 400,
          data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
          message: 'Must supply an incremented version when updating Content. No version supplied.',
          reason: 'Bad Request',
        }),
      'PUT',
    );
    expect(e).toMatchObject({
      kind: 'bad-request',
      code: 'CONFLUENCE_BAD_REQUEST',
      status: 400,
      method: 'PUT',
      path: '/wiki/rest/api/content/1',
    });
    expect(e.body).toMatchObject({ statusCode: 400 });
    expect(e.message).toContain('No version supplied');
    expect(e.message).toContain('PUT /wiki/rest/api/content/1');
    // Confluence's own words, on their own, for the developer.
    expect(e.detail).toBe('Must supply an incremented version when updating Content. No version supplied.');
  });

  it('detail: the first line of each body family, undefined when the answer says nothing', async () => {
    const v2 = await failure('/wiki/api/v2/pages', () =>
      json(400, { errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: "Invalid value for 'limit'" }] }),
    );
    expect(v2.detail).toBe("Invalid value for 'limit'");
    const html = await failure(
      '/wiki/rest/api/search',
      () =>
        new HttpResponse('<html><body><p>Could not parse  cql</p></body></html>', {
          status: 400,
          headers: { 'content-type': 'text/html' },
        }),
    );
    expect(html.detail).toBe('Could not parse cql');
    const empty = await failure('/wiki/api/v2/spaces', () => new HttpResponse(null, { status: 400 }));
    expect(empty.detail).toBeUndefined();
  });

  it('413 → bad-request', async () => {
    expect((await failure('/wiki/api/v2/pages', () => new HttpResponse(null, { status: 413 }), 'POST')).kind).toBe(
      'bad-request',
    );
  });

  it('401 text/plain (AtlassianProxy) → unauthorized, body kept as text, no reason', async () => {
    const text =
      'Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/';
    const e = await failure(
      '/wiki/rest/api/space',
      () =>
        new HttpResponse(text, { status: 401, headers: { 'content-type': 'text/plain', server: 'AtlassianProxy/' } }),
    );
    expect(e).toMatchObject({ kind: 'unauthorized', status: 401, body: text, reason: undefined });
  });

  it('401 gateway scope failure → unauthorized with reason app-scope (the app, not the session, is at fault)', async () => {
    const e = await failure('/wiki/rest/api/user/current', () =>
      json(
        401,
        { code: 401, message: 'Unauthorized; scope does not match' },
        { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' },
      ),
    );
    expect(e).toMatchObject({
      kind: 'unauthorized',
      reason: 'app-scope',
      body: { code: 401, message: 'Unauthorized; scope does not match' },
    });
    expect(e.message).toContain('scope does not match');
  });

  it('404 v2 on content → not-found flagged mayBeRestricted', async () => {
    const e = await failure('/wiki/api/v2/pages/42', () =>
      json(404, { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] }),
    );
    expect(e).toMatchObject({ kind: 'not-found', code: 'CONFLUENCE_NOT_FOUND', status: 404, mayBeRestricted: true });
    expect(e.message).toMatch(/no access/);
  });

  it('404 on a non-content resource is not flagged as maybe restricted', async () => {
    const e = await failure('/wiki/rest/api/user', () => json(404, { statusCode: 404, message: 'No user found' }));
    expect(e).toMatchObject({ kind: 'not-found', mayBeRestricted: false });
  });

  it('409 v1 stale version → conflict with currentVersion from "Current version is: N"', async () => {
    const e = await failure(
      '/wiki/rest/api/content/7',
      () =>
        json(409, {
          statusCode: 409,
          data: { authorized: false, valid: true, errors: [], successful: false },
          message: 'Version must be incremented on update. Current version is: 5',
        }),
      'PUT',
    );
    expect(e).toMatchObject({ kind: 'conflict', status: 409, currentVersion: 5 });
  });

  it('409 v2 → currentVersion from "Current Version: [6]"', async () => {
    const e = await failure(
      '/wiki/api/v2/pages/7',
      () =>
        json(409, {
          errors: [
            {
              status: 409,
              code: 'CONFLICT',
              title: 'Version must be incremented when updating a page. Current Version: [6]. Provided version: [5]',
              detail: null,
            },
          ],
        }),
      'PUT',
    );
    expect(e).toMatchObject({ kind: 'conflict', currentVersion: 6 });
  });

  it('409 OptimisticLockException (transient) → conflict without currentVersion', async () => {
    const e = await failure(
      '/wiki/rest/api/content/7',
      () =>
        json(409, {
          statusCode: 409,
          data: { authorized: false, valid: true, errors: [], successful: false },
          message:
            'com.atlassian.confluence.api.service.exceptions.ConflictException: javax.persistence.OptimisticLockException: Batch update returned unexpected row count from update [0]; actual row count: 0; expected: 1',
        }),
      'PUT',
    );
    expect(e.kind).toBe('conflict');
    expect(e.currentVersion).toBeUndefined();
  });

  it('410 removed v1 endpoint → gone', async () => {
    expect((await failure('/wiki/rest/api/content', () => json(410, { statusCode: 410, message: 'Gone' }))).kind).toBe(
      'gone',
    );
  });

  it('412 → precondition-failed', async () => {
    expect(
      (await failure('/wiki/rest/api/content/1/property/x', () => new HttpResponse(null, { status: 412 }), 'PUT')).kind,
    ).toBe('precondition-failed');
  });

  it('a garbled Retry-After falls back to X-RateLimit-Reset', async () => {
    const reset = new Date(Date.now() + 20_000).toISOString();
    const e = await failure(
      '/wiki/api/v2/pages',
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': 'soon', 'x-ratelimit-reset': reset } }),
    );
    expect(e.retryAfterMs).toBeGreaterThan(15_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(20_000);
  });

  it('429 → rate-limited with retryAfterMs from Retry-After seconds', async () => {
    const e = await failure(
      '/wiki/api/v2/pages',
      () =>
        new HttpResponse(null, {
          status: 429,
          headers: { 'retry-after': '7', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0' },
        }),
    );
    expect(e).toMatchObject({ kind: 'rate-limited', code: 'CONFLUENCE_RATE_LIMITED', status: 429, retryAfterMs: 7000 });
    expect(e.message).toContain('retry in 7 s');
  });

  it('503 with Retry-After → rate-limited; 503 without → server', async () => {
    expect(
      await failure(
        '/wiki/api/v2/pages',
        () => new HttpResponse(null, { status: 503, headers: { 'retry-after': '2' } }),
      ),
    ).toMatchObject({ kind: 'rate-limited', retryAfterMs: 2000 });
    expect(await failure('/wiki/api/v2/pages', () => new HttpResponse(null, { status: 503 }))).toMatchObject({
      kind: 'server',
      retryAfterMs: undefined,
    });
  });

  it('502 HTML error page → server, message carries the readable text not the markup', async () => {
    const html =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy got an invalid answer.</p></body></html>';
    const e = await failure(
      '/wiki/api/v2/pages/1',
      () => new HttpResponse(html, { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    expect(e).toMatchObject({ kind: 'server', status: 502, body: html });
    expect(e.message).toContain('Bad Gateway');
    expect(e.message).not.toContain('<h1>');
  });

  it('a network failure → network, status 0', async () => {
    const e = await failure('/wiki/api/v2/pages/1', () => HttpResponse.error());
    expect(e).toMatchObject({ kind: 'network', code: 'CONFLUENCE_NETWORK', status: 0 });
  });

  it('never echoes a token from the query into the message', async () => {
    server.use(http.get(SITE + '/wiki/api/v2/pages/1', () => json(500, { message: 'boom' })));
    const e = await client
      .request({ path: '/wiki/api/v2/pages/1', query: { jwt: 'eyJhbGciOiJIUzI1NiJ9.secret.sig' } })
      .catch((x) => x);
    expect(e.kind).toBe('server');
    expect(e.message).not.toContain('eyJhbGci');
    expect(e.message).toContain('jwt=***');
  });
});

describe('forbidden reasons', () => {
  const cases: [string, () => Response, string][] = [
    [
      'user-permission (v1 "Could not update Content")',
      () =>
        json(403, {
          statusCode: 403,
          data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
          message: 'Could not update Content of type : class com.atlassian.confluence.pages.Page with id 123',
          reason: 'Forbidden',
        }),
      'user-permission',
    ],
    [
      'user-permission (PermissionException)',
      () =>
        json(403, {
          statusCode: 403,
          message:
            "com.atlassian.confluence.api.service.exceptions.PermissionException: User isn't authorized to modify permissions.",
        }),
      'user-permission',
    ],
    [
      'app-scope (Connect ApiScopingFilter, plain text)',
      () =>
        new HttpResponse('Request not in an authorized API scope', {
          status: 403,
          headers: { 'content-type': 'text/plain' },
        }),
      'app-scope',
    ],
    [
      'app-scope (Connect, as a servlet HTML error page)',
      () =>
        new HttpResponse(
          '<html><head><title>Error 403 Request not in an authorized API scope</title></head><body><h2>HTTP ERROR 403</h2><p>Reason:<pre>    Request not in an authorized API scope</pre></p></body></html>',
          { status: 403, headers: { 'content-type': 'text/html' } },
        ),
      'app-scope',
    ],
    [
      'app-scope (Forge asUser missing scope grants)',
      () =>
        json(403, {
          errorMessages: [
            'Access to the resource was denied due to missing scope grants. Your app was granted the following scopes: [].\nThe resource can be accessed by having one of these groups of scopes:\n * [read:confluence-user]',
          ],
        }),
      'app-scope',
    ],
    [
      'product-access',
      () => json(403, { message: 'Current user not permitted to use Confluence', statusCode: 403 }),
      'product-access',
    ],
    [
      'xsrf',
      () => new HttpResponse('XSRF check failed', { status: 403, headers: { 'content-type': 'text/plain' } }),
      'xsrf',
    ],
    // The Cloud body for an app-access-rule denial is not documented; this is the emulator's wording (assumption).
    [
      'app-access-rule',
      () => json(403, { statusCode: 403, message: 'The app is blocked from this space by an app access rule' }),
      'app-access-rule',
    ],
    ['unknown (empty body)', () => new HttpResponse(null, { status: 403 }), 'unknown'],
  ];
  it.each(cases)('%s', async (_, res, reason) => {
    const e = await failure('/wiki/rest/api/content/123', res, 'PUT');
    expect(e).toMatchObject({ kind: 'forbidden', code: 'CONFLUENCE_FORBIDDEN', status: 403, reason });
    expect(e.message).toContain(`(${reason})`);
  });

  it('a 403 carrying X-Failure-Category: FAILURE_CLIENT_SCOPE_CHECK is app-scope whatever the body', async () => {
    const e = await failure(
      '/wiki/api/v2/pages/1',
      () =>
        new HttpResponse('Forbidden', { status: 403, headers: { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' } }),
    );
    expect(e.reason).toBe('app-scope');
  });
});

describe('ConfluenceError', () => {
  it('is an Error with a stable default code per kind', () => {
    const e = new ConfluenceError({ kind: 'host-unavailable', method: 'GET', path: '/wiki/x', message: 'no host' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: 'ConfluenceError',
      code: 'CONFLUENCE_HOST_UNAVAILABLE',
      status: 0,
      mayBeRestricted: false,
      body: null,
    });
    expect(e.message).toBe('Confluence GET /wiki/x: no host');
    expect(isConfluenceError(new Error('x'))).toBe(false);
  });
});
