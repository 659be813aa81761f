import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RequestState, confluenceQueries, cql, cqlValue, useConfluenceInfiniteQuery } from '../../src/react/index';
import { PAGES, SPACES, createWorld, renderWithConfluence, type ConfluenceWorld } from '../../src/testing/index';

/** What an app lists: search results by title, and "Load more" while `_links.next` is there. */
function SearchList({ query, limit }: { query: string; limit?: number }) {
  const q = useConfluenceInfiniteQuery(confluenceQueries.search(query, { limit }));
  return (
    <>
      <p data-testid="error-kind">{q.error?.kind ?? ''}</p>
      <RequestState query={q}>
        <ul>
          {q.data?.pages
            .flatMap((page) => page.results)
            .map((r) => (
              <li key={r.content.id}>{r.content.title}</li>
            ))}
        </ul>
        {q.hasNextPage && (
          <button disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
            Load more
          </button>
        )}
      </RequestState>
    </>
  );
}

const listed = () => screen.queryAllByRole('listitem').map((li) => li.textContent);
const searches = (world: ConfluenceWorld) =>
  world.requests.filter((r) => r.path.startsWith('/wiki/rest/api/search')).map((r) => `${r.path} ${r.status}`);
const sortedTitles = (world: ConfluenceWorld, user: 'viewer' | 'admin') =>
  [...world.pages.values()]
    .filter(
      (p) =>
        p.spaceId === SPACES.engineering.id &&
        (user === 'admin' || (p.id !== PAGES.securityIncidents && p.id !== PAGES.incidentPostmortem)),
    )
    .map((p) => p.title)
    .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

describe.each(['connect', 'forge', 'fetch'] as const)('confluenceQueries.search on %s', (host) => {
  test('lists results, and "Load more" follows the context-relative cursor link under /wiki', async () => {
    const world = createWorld({ actingUser: 'viewer' });
    renderWithConfluence(<SearchList query="space = ENG ORDER BY title" limit={10} />, { host, world });
    const expected = sortedTitles(world, 'viewer');
    await waitFor(() => expect(listed()).toEqual(expected.slice(0, 10)));

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(listed()).toEqual(expected.slice(0, 20)));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(listed()).toEqual(expected.slice(0, 30)));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(listed()).toEqual(expected));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    const paths = searches(world);
    expect(paths[0]).toBe('/wiki/rest/api/search?cql=space%20%3D%20ENG%20ORDER%20BY%20title&limit=10 200');
    expect(paths.slice(1)).toHaveLength(3);
    for (const path of paths.slice(1))
      expect(path).toMatch(
        /^\/wiki\/rest\/api\/search\?next=true&cursor=[\w-]+&limit=10&start=\d+&cql=space\+%3D\+ENG\+ORDER\+BY\+title 200$/,
      );
  });

  test('a viewer does not see the view-restricted page the admin sees (no error either)', async () => {
    const admin = createWorld({ actingUser: 'admin' });
    const { unmount } = renderWithConfluence(<SearchList query="label = security ORDER BY title" />, {
      host,
      world: admin,
    });
    await waitFor(() =>
      expect(listed()).toEqual([
        'Postmortem: leaked CI token (2025-11)',
        'Runbook: rotating secrets',
        'Security incidents',
      ]),
    );
    unmount();

    const viewer = createWorld({ actingUser: 'viewer' });
    renderWithConfluence(<SearchList query="label = security ORDER BY title" />, { host, world: viewer });
    await waitFor(() => expect(listed()).toEqual(['Runbook: rotating secrets']));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(searches(viewer)).toEqual([
      '/wiki/rest/api/search?cql=label%20%3D%20security%20ORDER%20BY%20title&limit=25 200',
    ]);
  });

  test('invalid CQL shows the bad-request state, after one request', async () => {
    const world = createWorld();
    // In development the state tells the console what Confluence said.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    renderWithConfluence(<SearchList query="label = " />, { host, world });
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-state')).toBe('error');
    expect(alert.getAttribute('data-kind')).toBe('bad-request');
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('/wiki/rest/api/search'));
    expect(screen.getByTestId('error-kind').textContent).toBe('bad-request');
    expect(listed()).toEqual([]);
    expect(searches(world)).toEqual(['/wiki/rest/api/search?cql=label%20%3D%20&limit=25 400']);
    consoleError.mockRestore();
  });

  test('user input through the cql template stays one value: an injection attempt finds nothing', async () => {
    const world = createWorld({ actingUser: 'admin' });
    world.addPage({ id: '990600', title: 'Say "hi" to C:\\temp', spaceId: SPACES.engineering.id });
    const attack = 'x" OR label = "security';
    const singleQuoteAttack = "' OR label = security OR title ~ '";
    renderWithConfluence(
      <>
        <SearchList query={cql`space = ${'ENG'} AND title ~ ${attack}`} />
        <SearchList query={cql`title ~ ${singleQuoteAttack}`} />
        <SearchList query={cql`title = ${'Say "hi" to C:\\temp'}`} />
      </>,
      { host, world },
    );
    await waitFor(() => expect(searches(world)).toHaveLength(3));
    await waitFor(() => expect(listed()).toEqual(['Say "hi" to C:\\temp']));
    expect(searches(world).every((s) => s.endsWith(' 200'))).toBe(true);
  });
});

describe('cql tagged template', () => {
  test('quotes strings and escapes " and \\ with a backslash', () => {
    expect(cql`label = ${'runbook'}`).toBe('label = "runbook"');
    expect(cql`title ~ ${'say "hi"'}`).toBe('title ~ "say \\"hi\\""');
    expect(cql`title ~ ${'C:\\temp\\'}`).toBe('title ~ "C:\\\\temp\\\\"');
    expect(cql`title ~ ${'x" OR space = "SECRET'}`).toBe('title ~ "x\\" OR space = \\"SECRET"');
    expect(cql`title ~ ${'\\"'}`).toBe('title ~ "\\\\\\""');
  });

  test("escapes ' too, so a value is one literal in either kind of CQL string", () => {
    expect(cql`title ~ ${"it's"}`).toBe(`title ~ "it\\'s"`);
    expect(cql`title ~ ${"' OR label = security OR title ~ '"}`).toBe(
      `title ~ "\\' OR label = security OR title ~ \\'"`,
    );
  });

  test('quotes written around a hole in the template throw: the template quotes values itself', () => {
    const message = 'cql: the template quotes values itself; remove the quotes around ${…}';
    const input = "' OR label = security OR title ~ '";
    expect(() => cql`title ~ '${input}'`).toThrow(message);
    expect(() => cql`title ~ '${'runbook'}'`).toThrow(TypeError);
    expect(() => cql`title ~ "${'runbook'}"`).toThrow(message);
    expect(() => cql`title ~ "% ${'runbook'} %"`).toThrow(message); // inside the quotes, not only next to them
    expect(() => cql`label = ${'a'} AND title ~ 'x ${'b'}'`).toThrow(message);
    expect(() => cql`title ~ ${'runbook'}'`).toThrow(message); // a quote right after a value
    expect(() => cql`title ~ ${'runbook'}"`).toThrow(message);
    // Quoted text of the template's own, away from the holes, is fine (an apostrophe inside "…" opens nothing).
    expect(cql`space = "ENG" AND title = "it's" AND label = ${'x'}`).toBe(
      `space = "ENG" AND title = "it's" AND label = "x"`,
    );
    expect(cql`title = 'a \\' b' AND label in (${['x', 'y']}) AND space = 'ENG'`).toBe(
      `title = 'a \\' b' AND label in ("x", "y") AND space = 'ENG'`,
    );
  });

  test('numbers must be safe integers: CQL reserves . and + outside quotes', () => {
    expect(cql`id = ${0} OR id = ${Number.MAX_SAFE_INTEGER}`).toBe(`id = 0 OR id = ${Number.MAX_SAFE_INTEGER}`);
    expect(cql`id = ${12345678901234567890n}`).toBe('id = 12345678901234567890');
    for (const bad of [1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 2 ** 53, 1e21]) {
      expect(() => cql`id = ${bad}`).toThrow(TypeError);
    }
    expect(() => cql`id = ${1.5}`).toThrow(
      'cql: cannot interpolate the number 1.5 as a CQL value (only safe integers; pass other numbers as strings)',
    );
    expect(() => cqlValue([1, 0.1])).toThrow(/0\.1/);
  });

  test('numbers as they are; arrays as an in-list; other values throw', () => {
    expect(cql`id = ${123} OR ancestor in (${[1, '2']})`).toBe('id = 123 OR ancestor in (1, "2")');
    expect(cql`space in (${['ENG', 'O"PS']})`).toBe('space in ("ENG", "O\\"PS")');
    expect(() => cql`label = ${undefined}`).toThrow(TypeError);
    expect(() => cql`label = ${null}`).toThrow(/null/);
    expect(() => cql`label = ${{ toString: () => 'x' }}`).toThrow(TypeError);
    expect(() => cql`id = ${Number.NaN}`).toThrow(TypeError);
    expect(() => cql`id in (${[]})`).toThrow(/empty list/);
    expect(() => cqlValue([['nested']])).toThrow(/nested list/);
  });
});
