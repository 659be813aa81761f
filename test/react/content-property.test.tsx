import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { RequestState, confluenceQueries, useConfluenceQuery, useContentProperty } from '../../src/react/index';
import { PAGES, USERS, createWorld, renderWithConfluence, type ConfluenceWorld } from '../../src/testing/index';

interface Tally {
  count: number;
  by?: string;
}

const KEY = 'tally-macro';

function TallyMacro({ pageId }: { pageId: string }) {
  const tally = useContentProperty<Tally>(pageId, KEY);
  const saveError = tally.mutation.error;
  return (
    <RequestState query={tally}>
      <p data-testid="value">{tally.data === null ? 'absent' : JSON.stringify(tally.value)}</p>
      <p data-testid="version">{tally.data?.version.number ?? '-'}</p>
      <button onClick={() => tally.mutate((current) => ({ count: (current?.count ?? 0) + 1 }))}>Increment</button>
      <button onClick={() => tally.mutate({ count: 100, by: 'value' })}>Set 100</button>
      <button onClick={() => tally.remove()}>Remove</button>
      {tally.mutation.isPending && <p>Saving…</p>}
      <RequestState error={saveError} onReload={tally.reloadLatest} />
      <p data-testid="save-error">
        {saveError
          ? `${saveError.kind} ${saveError.status} ${saveError.reason ?? '-'} ${saveError.mayBeRestricted}`
          : ''}
      </p>
    </RequestState>
  );
}

const stored = (world: ConfluenceWorld, pageId: string = PAGES.gettingStarted) => world.contentProperty(pageId, KEY);
const shown = () => screen.getByTestId('value').textContent;

describe.each(['connect', 'forge', 'fetch'] as const)('useContentProperty on %s', (host) => {
  function render(world: ConfluenceWorld, pageId: string = PAGES.gettingStarted) {
    return renderWithConfluence(<TallyMacro pageId={pageId} />, { host, world });
  }

  test('an absent property reads as null / undefined, with one list request filtered by key', async () => {
    const world = createWorld();
    render(world);
    await waitFor(() => expect(shown()).toBe('absent'));
    expect(screen.getByTestId('version').textContent).toBe('-');
    expect(world.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /wiki/api/v2/pages/${PAGES.gettingStarted}/properties?key=${KEY} 200`,
    ]);
  });

  test('save creates the property (POST), and the UI shows it without a refetch', async () => {
    const world = createWorld({ actingUser: 'editor' });
    render(world);
    await waitFor(() => expect(shown()).toBe('absent'));
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    expect(stored(world)).toMatchObject({
      value: { count: 1 },
      version: { number: 1, authorId: USERS.editor.accountId },
    });
    expect(world.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 200',
    ]);
    expect(world.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  test('mutate takes per-call callbacks and mutateAsync resolves with the stored property, as in TanStack', async () => {
    const world = createWorld({
      contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 }, version: 2 }],
    });
    function Callbacks() {
      const tally = useContentProperty<Tally>(PAGES.gettingStarted, KEY);
      const [log, setLog] = useState<string[]>([]);
      const note = (line: string) => setLog((lines) => [...lines, line]);
      const run = async () => {
        tally.mutate((current) => ({ count: (current?.count ?? 0) + 1 }), {
          onSuccess: (property) => note(`onSuccess v${property?.version.number}`),
        });
      };
      const runAsync = async () => {
        const property = await tally.mutateAsync({ count: 10 });
        note(`resolved v${property.version.number} ${property.value.count}`);
        const removed = await tally.removeAsync();
        note(`removed ${removed}`);
      };
      return (
        <>
          <p data-testid="pending">{tally.isPending ? 'pending' : tally.value?.count}</p>
          <button onClick={run}>mutate</button>
          <button onClick={runAsync}>mutateAsync</button>
          <p data-testid="log">{log.join(', ')}</p>
        </>
      );
    }
    renderWithConfluence(<Callbacks />, { host, world });
    await waitFor(() => expect(screen.getByTestId('pending').textContent).toBe('1'));
    await userEvent.click(screen.getByRole('button', { name: 'mutate' }));
    await waitFor(() => expect(screen.getByTestId('log').textContent).toBe('onSuccess v3'));
    await userEvent.click(screen.getByRole('button', { name: 'mutateAsync' }));
    await waitFor(() =>
      expect(screen.getByTestId('log').textContent).toBe('onSuccess v3, resolved v4 10, removed null'),
    );
    expect(stored(world)).toBeUndefined();
  });

  test('save updates with version + 1 (PUT), twice in a row', async () => {
    const world = createWorld({
      contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 41 }, version: 3 }],
    });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":41}'));
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    await waitFor(() => expect(shown()).toBe('{"count":42}'));
    expect(stored(world)).toMatchObject({ value: { count: 42 }, version: { number: 4 } });
    await userEvent.click(screen.getByRole('button', { name: 'Set 100' }));
    await waitFor(() => expect(shown()).toBe('{"count":100,"by":"value"}'));
    expect(stored(world)).toMatchObject({ value: { count: 100, by: 'value' }, version: { number: 5 } });
    expect(screen.getByTestId('version').textContent).toBe('5');
    expect(world.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([200, 200]);
  });

  test('a concurrent write, updater form: the 409 is merged into the latest version and saved', async () => {
    const world = createWorld({ contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 } }] });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    world.setContentProperty(PAGES.gettingStarted, KEY, { count: 5, by: 'admin' }, { as: 'admin' });
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    await waitFor(() => expect(shown()).toBe('{"count":6}'));
    expect(stored(world)).toMatchObject({ value: { count: 6 }, version: { number: 3 } });
    expect(world.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([409, 200]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a concurrent write, value form: the conflict state shows and the other version is not overwritten', async () => {
    const world = createWorld({ contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 } }] });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    world.setContentProperty(PAGES.gettingStarted, KEY, { count: 5, by: 'admin' }, { as: 'admin' });
    await userEvent.click(screen.getByRole('button', { name: 'Set 100' }));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('conflict');
    expect(alert.textContent).toContain('Someone else saved version 2');
    expect(stored(world)).toMatchObject({ value: { count: 5, by: 'admin' }, version: { number: 2 } });
    expect(world.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([409]);
    // "Reload latest" clears the conflict and shows their value; nothing was sent again.
    await userEvent.click(screen.getByRole('button', { name: 'Reload latest' }));
    await waitFor(() => expect(shown()).toBe('{"count":5,"by":"admin"}'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(world.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  test('the create race, value form: someone created the key first → the same conflict, theirs kept', async () => {
    const world = createWorld();
    render(world);
    await waitFor(() => expect(shown()).toBe('absent'));
    world.setContentProperty(PAGES.gettingStarted, KEY, { count: 7 }, { as: 'admin' });
    await userEvent.click(screen.getByRole('button', { name: 'Set 100' }));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('conflict');
    expect(alert.textContent).toContain('Someone else saved version 1');
    expect(stored(world)).toMatchObject({
      value: { count: 7 },
      version: { number: 1, authorId: USERS.admin.accountId },
    });
    expect(world.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 409',
    ]);
  });

  test('the create race, updater form: merged into what they created', async () => {
    const world = createWorld();
    render(world);
    await waitFor(() => expect(shown()).toBe('absent'));
    world.setContentProperty(PAGES.gettingStarted, KEY, { count: 7 }, { as: 'admin' });
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    await waitFor(() => expect(shown()).toBe('{"count":8}'));
    expect(stored(world)).toMatchObject({ value: { count: 8 }, version: { number: 2 } });
    expect(world.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 409',
      'PUT 200',
    ]);
  });

  test('an updater that keeps losing gives up after two more attempts with the conflict state', async () => {
    const world = createWorld({ contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 } }] });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    // Someone else writes right after every read of the property, so each PUT is stale.
    const stop = world.onRequest((r) => {
      if (r.method === 'GET') world.setContentProperty(PAGES.gettingStarted, KEY, { count: 0 }, { as: 'admin' });
    });
    world.setContentProperty(PAGES.gettingStarted, KEY, { count: 0 }, { as: 'admin' });
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    expect((await screen.findByRole('alert')).dataset.kind).toBe('conflict');
    stop();
    expect(world.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([409, 409, 409]);
    expect(stored(world)!.value).toEqual({ count: 0 });
  });

  test('remove deletes it (204) and the UI reads absent', async () => {
    const world = createWorld({ contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 } }] });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(shown()).toBe('absent'));
    expect(stored(world)).toBeUndefined();
    expect(world.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([204]);
  });

  test('a viewer without edit permission: Confluence v2 answers 404, shown as "not found, or no access"; nothing stored', async () => {
    const world = createWorld({
      actingUser: 'viewer',
      contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 }, as: 'editor' }],
    });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('not-found');
    expect(alert.textContent).toContain("Not found, or you don't have access.");
    // Not a forbidden/user-permission error: the v2 spec documents only the 404, which may mean "restricted".
    expect(screen.getByTestId('save-error').textContent).toBe('not-found 404 - true');
    expect(stored(world)).toMatchObject({ value: { count: 1 }, version: { number: 1 } });
  });

  test('a READ-only app reads; a save is refused for the app scope (Connect 403, Forge 401) — not on plain fetch, a user session', async () => {
    const world = createWorld({
      scopes: ['READ'],
      contentProperties: [{ pageId: PAGES.gettingStarted, key: KEY, value: { count: 1 } }],
    });
    render(world);
    await waitFor(() => expect(shown()).toBe('{"count":1}'));
    await userEvent.click(screen.getByRole('button', { name: 'Increment' }));
    if (host === 'fetch') {
      // Documented rule of the emulator: descriptor scopes bind app traffic only.
      await waitFor(() => expect(shown()).toBe('{"count":2}'));
      return;
    }
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.reason).toBe('app-scope');
    expect(alert.dataset.kind).toBe(host === 'connect' ? 'forbidden' : 'unauthorized');
    expect(alert.textContent).toContain('This app lacks a permission.');
    expect(stored(world)).toMatchObject({ value: { count: 1 }, version: { number: 1 } });
  });

  test('a view-restricted page: the not-found-or-restricted state', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    world.setContentProperty(PAGES.securityIncidents, KEY, { count: 1 }, { as: 'admin' });
    render(world, PAGES.securityIncidents);
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.kind).toBe('not-found');
    expect(alert.textContent).toContain("Not found, or you don't have access.");
    expect(screen.queryByTestId('value')).toBeNull();
  });
});

test('confluenceQueries.contentProperty resolves the property, or null, under its own key', async () => {
  const world = createWorld({ contentProperties: [{ pageId: PAGES.home, key: 'a', value: [1, 2] }] });
  expect(confluenceQueries.contentProperty(PAGES.home, 'a').queryKey).toEqual([
    'confluence',
    'contentProperty',
    PAGES.home,
    'a',
  ]);
  function Both() {
    const a = useConfluenceQuery(confluenceQueries.contentProperty<number[]>(PAGES.home, 'a'));
    const b = useConfluenceQuery(confluenceQueries.contentProperty(PAGES.home, 'b'));
    return (
      <p>
        {a.isSuccess && b.isSuccess
          ? `${JSON.stringify(a.data?.value)} ${a.data?.version.number} ${JSON.stringify(b.data)}`
          : 'loading'}
      </p>
    );
  }
  renderWithConfluence(<Both />, { world });
  expect(await screen.findByText('[1,2] 1 null')).toBeTruthy();
});
