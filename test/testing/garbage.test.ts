import { ConfluenceKitError } from '../../src/client/errors/kit-error';
import { createFakeAP, createWorld, isEmulatorError, type EmulatorError } from '../../src/testing/index';
import { call } from './helpers';

const cursor = (json: string) => btoa(json).replace(/=+$/, '');

describe('garbage in gets a 4xx in the endpoint family, never a 5xx or a hang', () => {
  test.each([
    ['GET', '/wiki/api/v2/pages/%00', undefined],
    ['GET', '/wiki/api/v2/pages/123456789012345678901234', undefined],
    ['GET', '/wiki/api/v2/pages?limit=-1', undefined],
    ['GET', `/wiki/api/v2/pages?cursor=${cursor('{"after":5}')}`, undefined],
    ['GET', `/wiki/api/v2/pages?cursor=${cursor('nonsense')}`, undefined],
    ['GET', '/wiki/api/v2/pages?id=1,two', undefined],
    ['GET', '/wiki/api/v2/pages?body-format=%3Cscript%3E', undefined],
    ['GET', '/wiki/api/v2/spaces/ENG', undefined],
    ['GET', '/wiki/api/v2/spaces/98305/pages?depth=deep', undefined],
    ['PUT', '/wiki/api/v2/pages/65601', '[]'],
    ['PUT', '/wiki/api/v2/pages/65601', 'null'],
    ['PUT', '/wiki/api/v2/pages/65601', '{"title":"t","version":{"number":"8"}}'],
    ['PUT', '/wiki/rest/api/content/65601', 'not json'],
    [
      'POST',
      '/wiki/rest/api/content/65601/permission/check',
      '{"subject":{"type":"user","identifier":"x"},"operation":"fly"}',
    ],
    ['POST', '/wiki/rest/api/content/abc/permission/check', '{}'],
  ])('%s %s', async (method, path, body) => {
    const world = createWorld();
    const res = await call(world, method, path, { body, headers: body ? { 'Content-Type': 'application/json' } : {} });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    // Either family, always parseable JSON naming the status.
    expect(res.json?.statusCode ?? res.json?.errors?.[0]?.status).toBe(res.status);
    expect(world.pages.get('65601')!.version.number).toBe(7);
  });
});

describe('misuse of the kit is a typed EmulatorError with a stable code', () => {
  test.each([
    ['UNKNOWN_USER', () => createWorld().actAs('nobody')],
    ['UNKNOWN_USER', () => createFakeAP(createWorld(), { user: 'nobody' })],
    ['UNKNOWN_PAGE', () => createWorld().restrictPage('1', { read: [] })],
    ['EMPTY_SEED', () => createWorld({ users: [] })],
  ])('%s', (code, misuse) => {
    let error: unknown;
    try {
      misuse();
    } catch (e) {
      error = e;
    }
    expect(isEmulatorError(error)).toBe(true);
    expect((error as EmulatorError).code).toBe(code);
    // One error family across the package: a kit error with an explicit name (minifiers mangle class names).
    expect(error).toBeInstanceOf(ConfluenceKitError);
    expect((error as EmulatorError).name).toBe('EmulatorError');
  });

  test('AP.request without a url rejects with INVALID_AP_REQUEST instead of hanging', async () => {
    const AP = createFakeAP(createWorld());
    await expect(AP.request({} as { url: string })).rejects.toMatchObject({ code: 'INVALID_AP_REQUEST' });
  });
});
