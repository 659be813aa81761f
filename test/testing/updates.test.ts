import { PAGES, createWorld } from '../../src/testing/index';
import { call } from './helpers';

const v2Update = (version: number | undefined, title = 'Getting started (v2)') => ({
  id: PAGES.gettingStarted,
  status: 'current',
  title,
  body: { representation: 'storage', value: '<p>Updated</p>' },
  ...(version === undefined ? {} : { version: { number: version, message: 'edit' } }),
});

describe('optimistic concurrency on page update', () => {
  test('v2 PUT with current+1 saves and bumps the version', async () => {
    const world = createWorld({ actingUser: 'editor', now: () => Date.UTC(2026, 5, 1) });
    const res = await call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.gettingStarted}`, { body: v2Update(8) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: PAGES.gettingStarted,
      title: 'Getting started (v2)',
      version: { number: 8, message: 'edit', authorId: world.actingAccountId },
    });
    expect(res.json.body.storage.value).toBe('<p>Updated</p>');
    expect(
      (await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.gettingStarted}?body-format=storage`)).json.body.storage
        .value,
    ).toBe('<p>Updated</p>');
  });

  test('v2 PUT with a stale version is 409 with the reference body, and the page is not overwritten', async () => {
    const world = createWorld();
    const res = await call(world, 'PUT', `/wiki/api/v2/pages/${PAGES.gettingStarted}`, {
      body: v2Update(7, 'Overwritten?'),
    });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      errors: [
        {
          status: 409,
          code: 'CONFLICT',
          title: 'Version must be incremented when updating a page. Current Version: [7]. Provided version: [7]',
          detail: null,
        },
      ],
    });
    const page = world.pages.get(PAGES.gettingStarted)!;
    expect(page.title).toBe('Getting started');
    expect(page.version.number).toBe(7);
  });

  test('v2 PUT without a version is 400; without a title is 400; a body id that differs from the path is 400', async () => {
    const world = createWorld();
    const path = `/wiki/api/v2/pages/${PAGES.gettingStarted}`;
    const missing = await call(world, 'PUT', path, { body: v2Update(undefined) });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0]).toMatchObject({ status: 400, code: 'INVALID_REQUEST_PARAMETER' });
    expect((await call(world, 'PUT', path, { body: { ...v2Update(8), title: '' } })).status).toBe(400);
    expect((await call(world, 'PUT', path, { body: { ...v2Update(8), id: PAGES.home } })).status).toBe(400);
    expect(
      (await call(world, 'PUT', path, { body: '{not json', headers: { 'Content-Type': 'application/json' } })).status,
    ).toBe(400);
    expect(world.pages.get(PAGES.gettingStarted)!.version.number).toBe(7);
  });

  test('v1 PUT: missing version is the observed 400 body; stale is 409 "Current version is: N"', async () => {
    const world = createWorld();
    const path = `/wiki/rest/api/content/${PAGES.gettingStarted}`;
    const missing = await call(world, 'PUT', path, { body: { type: 'page', title: 'T' } });
    expect(missing.json).toEqual({
      statusCode: 400,
      data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
      message: 'Must supply an incremented version when updating Content. No version supplied.',
      reason: 'Bad Request',
    });
    const stale = await call(world, 'PUT', path, { body: { type: 'page', title: 'T', version: { number: 3 } } });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({
      statusCode: 409,
      message: 'Version must be incremented on update. Current version is: 7',
    });
    const ok = await call(world, 'PUT', path, {
      body: {
        type: 'page',
        title: 'T',
        version: { number: 8 },
        body: { storage: { value: '<p>v1</p>', representation: 'storage' } },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ title: 'T', version: { number: 8 }, body: { storage: { value: '<p>v1</p>' } } });
  });

  test('nextSaveConflicts: someone else saves first, so a correct update gets 409 once, then the retry with the new version works', async () => {
    const world = createWorld({ actingUser: 'editor' });
    world.setFaults({ nextSaveConflicts: true });
    const path = `/wiki/api/v2/pages/${PAGES.gettingStarted}`;
    const conflict = await call(world, 'PUT', path, { body: v2Update(8, 'Mine') });
    expect(conflict.status).toBe(409);
    expect(conflict.json.errors[0].title).toContain('Current Version: [8]. Provided version: [8]');
    const page = world.pages.get(PAGES.gettingStarted)!;
    expect(page.title).toBe('Getting started');
    expect(page.version.number).toBe(8);
    expect(page.version.authorId).not.toBe(world.actingAccountId);
    expect(world.faults.nextSaveConflicts).toBe(false);
    const retry = await call(world, 'PUT', path, { body: v2Update(9, 'Mine') });
    expect(retry.status).toBe(200);
    expect(world.pages.get(PAGES.gettingStarted)!.title).toBe('Mine');
  });
});

describe('v2 PUT /pages/{id}/title', () => {
  const path = `/wiki/api/v2/pages/${PAGES.gettingStarted}/title`;

  test('changes the title, keeps the body and makes a new version', async () => {
    const world = createWorld({ actingUser: 'editor' });
    const page = world.pages.get(PAGES.gettingStarted)!;
    const bodyBefore = page.body;
    const res = await call(world, 'PUT', path, { body: { status: 'current', title: 'Renamed' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: PAGES.gettingStarted, title: 'Renamed', version: { number: 8 } });
    expect(page.body).toBe(bodyBefore);
    expect(page.body.length).toBeGreaterThan(0);
  });

  test('a missing title or status is 400; a viewer gets 404; nothing changes', async () => {
    const world = createWorld({ actingUser: 'editor' });
    expect((await call(world, 'PUT', path, { body: { status: 'current' } })).status).toBe(400);
    expect((await call(world, 'PUT', path, { body: { title: 'x' } })).status).toBe(400);
    world.actAs('viewer');
    expect((await call(world, 'PUT', path, { body: { status: 'current', title: 'x' } })).status).toBe(404);
    expect(world.pages.get(PAGES.gettingStarted)!.title).toBe('Getting started');
  });
});
