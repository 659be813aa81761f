import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  QueryBoundary,
  RequestState,
  confluenceQueries,
  cql,
  toViewState,
  useConfluenceContext,
  useConfluenceSuspenseQuery,
  useUpdatePage,
} from '../../src/react/index';
import { PAGES, renderWithConfluence } from '../../src/testing/index';

const SIGN_IN = 'Sign in to edit.';
const ONE_SPACE = 'Your access is limited to one space.';
const UNLICENSED = "Your site's licence for this app is inactive.";

function Search() {
  const results = useInfiniteQuery(confluenceQueries.search(cql`type = page AND label = ${'onboarding'}`));
  return (
    <RequestState query={results}>
      {(data) => <p>{data.pages.flatMap((page) => page.results).length} results</p>}
    </RequestState>
  );
}

function PageTitle({ id }: { id: string }) {
  const page = useQuery(confluenceQueries.page(id));
  return <RequestState query={page}>{(p) => <h1>{p.title}</h1>}</RequestState>;
}

/** Reads the current user (as most apps do) and then a page: a guest is known by then. */
function GuestAwarePage({ id }: { id: string }) {
  const me = useQuery(confluenceQueries.currentUser());
  return <RequestState query={me}>{() => <PageTitle id={id} />}</RequestState>;
}

function Rename({ id }: { id: string }) {
  const page = useQuery(confluenceQueries.page(id));
  const update = useUpdatePage();
  return (
    <RequestState query={page} error={update.error}>
      {(p) => (
        <button onClick={() => update.mutate({ id, title: `${p.title}!`, version: p.version!.number })}>Rename</button>
      )}
    </RequestState>
  );
}

function Viewer() {
  const { data } = useConfluenceContext();
  return <p>{data ? `viewer: ${data.viewer}` : 'reading'}</p>;
}

function SuspensePage({ id }: { id: string }) {
  const { data } = useConfluenceSuspenseQuery(confluenceQueries.page(id));
  return <h1>{data.title}</h1>;
}

async function alertText(): Promise<string> {
  return (await screen.findByRole('alert')).textContent ?? '';
}

describe.each(['connect', 'forge', 'fetch'] as const)('the users apps forget, on %s', (host) => {
  test("a guest's refused search says their access is limited to one space", async () => {
    renderWithConfluence(<Search />, { host, user: 'guest' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(ONE_SPACE);
    expect(alert.getAttribute('data-kind')).toBe('guest');
    // Searching again would be refused again.
    expect(screen.queryByRole('button')).toBeNull();
  });

  test("a guest's 404 says the same once the current user is known to be a guest", async () => {
    renderWithConfluence(<GuestAwarePage id={PAGES.securityIncidents} />, { host, user: 'guest' });
    expect(await alertText()).toBe(ONE_SPACE);
  });

  test("an editor's 404 stays the usual not-found state", async () => {
    renderWithConfluence(<GuestAwarePage id={PAGES.securityIncidents} />, { host, user: 'viewer' });
    expect(await alertText()).toBe("Not found, or you don't have access.");
  });

  test('an anonymous viewer reads the page, and a refused write says "Sign in to edit"', async () => {
    const { world } = renderWithConfluence(<Rename id={PAGES.gettingStarted} />, { host, user: 'anonymous' });
    await userEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(SIGN_IN);
    expect(alert.getAttribute('data-kind')).toBe('anonymous');
    expect(world.pages.get(PAGES.gettingStarted)!.title).toBe('Getting started');
  });

  test("an editor's refused write stays the usual state", async () => {
    renderWithConfluence(<Rename id={PAGES.releasePolicy} />, { host, user: 'editor' });
    await userEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    expect(await alertText()).not.toBe(SIGN_IN);
  });

  test('an unlicensed user sees the licence state instead of the content', async () => {
    renderWithConfluence(<PageTitle id={PAGES.gettingStarted} />, { host, user: 'unlicensed' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(UNLICENSED);
    expect(alert.getAttribute('data-kind')).toBe('unlicensed');
    expect(screen.queryByRole('heading')).toBeNull();
  });

  test('QueryBoundary shows the licence state to an unlicensed user, and the content to an editor', async () => {
    const ui = (
      <QueryBoundary>
        <SuspensePage id={PAGES.gettingStarted} />
      </QueryBoundary>
    );
    const { unmount } = renderWithConfluence(ui, { host, user: 'unlicensed' });
    expect(await alertText()).toBe(UNLICENSED);
    unmount();
    renderWithConfluence(ui, { host, user: 'editor' });
    expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
  });

  test('useConfluenceContext says who is looking', async () => {
    for (const [user, viewer] of [
      ['editor', 'user'],
      ['anonymous', 'anonymous'],
      ['unlicensed', 'unlicensed'],
    ] as const) {
      const { unmount } = renderWithConfluence(<Viewer />, { host, user });
      expect(await screen.findByText(`viewer: ${viewer}`)).toBeTruthy();
      unmount();
    }
  });

  test('useConfluenceContext says guest once the current user is read', async () => {
    function GuestViewer() {
      useQuery(confluenceQueries.currentUser());
      return <Viewer />;
    }
    renderWithConfluence(<GuestViewer />, { host, user: 'guest' });
    expect(await screen.findByText('viewer: guest')).toBeTruthy();
  });
});

test('the texts are overridable like every other state', async () => {
  renderWithConfluence(<PageTitle id={PAGES.gettingStarted} />, {
    user: 'unlicensed',
    providerProps: { messages: { unlicensed: 'Ask your admin to renew.' } },
  });
  expect(await alertText()).toBe('Ask your admin to renew.');
});

test('toViewState keeps a refusal of the app (scope, access rule) whoever is looking', async () => {
  const { ConfluenceError } = await import('../../src/client/index');
  const scope = new ConfluenceError({
    kind: 'forbidden',
    reason: 'app-scope',
    message: '403',
    method: 'PUT',
    path: '/wiki/api/v2/pages/1',
  });
  expect(toViewState(scope, 'anonymous').kind).toBe('forbidden');
  expect(toViewState(scope, 'guest').kind).toBe('forbidden');
  const notFound = new ConfluenceError({
    kind: 'not-found',
    message: '404',
    method: 'GET',
    path: '/wiki/api/v2/pages/1',
  });
  // Reading is not what an anonymous viewer is refused for: a 404 on a read is a 404.
  expect(toViewState(notFound, 'anonymous').kind).toBe('not-found');
  expect(toViewState(notFound, 'guest').kind).toBe('guest');
});
