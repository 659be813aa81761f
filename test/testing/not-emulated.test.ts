import { PAGES, createWorld } from '../../src/testing/index';
import { call } from './helpers';

describe('what the world does not emulate says so', () => {
  test.each([
    ['GET', `/wiki/api/v2/pages/${PAGES.home}/likes/count`],
    ['GET', '/wiki/rest/api/group/confluence-users/member'],
    // A known path, a method the world lacks.
    ['DELETE', `/wiki/api/v2/pages/${PAGES.home}`],
  ])('%s %s answers 501 naming the method and path, logged as not emulated', async (method, path) => {
    const world = createWorld();
    const answer = await call(world, method, path);
    expect(answer.status).toBe(501);
    expect(answer.statusText).toBe('Not Implemented');
    expect(answer.json).toMatchObject({ statusCode: 501, notEmulated: true, method, path });
    expect(answer.json.message).toContain(`${method} ${path}`);
    expect(world.requests.at(-1)).toMatchObject({ method, path, status: 501, notEmulated: true });
  });

  test("an unknown id on a known endpoint stays Confluence's 404, not marked", async () => {
    const world = createWorld();
    const v2 = await call(world, 'GET', '/wiki/api/v2/pages/123456789');
    expect(v2.status).toBe(404);
    expect(v2.json).toEqual({ errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] });
    expect(world.requests.at(-1)).not.toHaveProperty('notEmulated');
    const v1 = await call(world, 'GET', '/wiki/rest/api/content/123456789');
    expect(v1.status).toBe(404);
    expect(world.requests.at(-1)).not.toHaveProperty('notEmulated');
  });

  test('the log names the caller of a not-emulated request as it does for any other', async () => {
    const world = createWorld();
    await call(world, 'GET', '/wiki/rest/api/longtask', { headers: { 'X-Emulator-Account-Id': 'anonymous' } });
    expect(world.requests.at(-1)).toMatchObject({ status: 501, accountId: null });
  });
});
