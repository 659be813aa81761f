import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  QueryClient,
  useInfiniteQuery,
  useQueries,
  useQuery,
  useQueryClient,
  useSuspenseQuery,
} from '@tanstack/react-query';
import { useState } from 'react';
import type { Page } from '../../src/client/index';
import {
  QueryBoundary,
  RequestState,
  confluenceQueries,
  confluenceQueryOptions,
  createConfluenceQueryClient,
  useConfluenceSuspenseQuery,
  isConfluenceHostError,
} from '../../src/react/index';
import { PAGES, SPACES, createWorld, renderWithConfluence } from '../../src/testing/index';

function PageTitle({ id }: { id: string }) {
  const page = useQuery(confluenceQueries.page(id));
  return <RequestState query={page}>{(data) => <h1>{data.title}</h1>}</RequestState>;
}

function SuspenseTitle({ id }: { id: string }) {
  const { data: title } = useSuspenseQuery({ ...confluenceQueries.page(id), select: (page) => page.title });
  return <h1>{title}</h1>;
}

describe.each(['connect', 'forge', 'fetch'] as const)("TanStack's own hooks take confluenceQueries on %s", (host) => {
  it('useQuery', async () => {
    renderWithConfluence(<PageTitle id={PAGES.gettingStarted} />, { host });
    expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
  });

  it('useSuspenseQuery with select, under QueryBoundary', async () => {
    renderWithConfluence(
      <QueryBoundary>
        <SuspenseTitle id={PAGES.home} />
      </QueryBoundary>,
      { host },
    );
    expect(await screen.findByRole('heading')).toBeTruthy();
  });

  it('useQueries and useInfiniteQuery', async () => {
    function Both() {
      const [page, user] = useQueries({
        queries: [confluenceQueries.page(PAGES.gettingStarted), confluenceQueries.currentUser()],
      });
      const search = useInfiniteQuery(confluenceQueries.search('type = page AND title ~ "started"'));
      const firstResult = search.data?.pages[0]?.results[0]?.content.title;
      return (
        <p>
          {page.data?.title ?? '…'} / {user.data?.accountId ? 'user' : '…'} / {firstResult ?? '…'}
        </p>
      );
    }
    renderWithConfluence(<Both />, { host });
    expect(await screen.findByText('Getting started / user / Getting started')).toBeTruthy();
  });

  it('queryClient.prefetchQuery, fetchQuery and ensureQueryData from inside the provider', async () => {
    function Prefetching() {
      const queryClient = useQueryClient();
      const [shown, setShown] = useState('');
      const load = async () => {
        await queryClient.prefetchQuery(confluenceQueries.page(PAGES.home));
        const fetched = await queryClient.fetchQuery(confluenceQueries.page(PAGES.gettingStarted));
        const ensured = await queryClient.ensureQueryData(confluenceQueries.page(PAGES.home));
        const cached = queryClient.getQueryData(confluenceQueries.page(PAGES.home).queryKey);
        setShown(`${fetched.title} / ${ensured.id === cached?.id ? 'cached' : 'refetched'}`);
      };
      return (
        <button type="button" onClick={load}>
          {shown || 'Load'}
        </button>
      );
    }
    const { world } = renderWithConfluence(<Prefetching />, { host });
    await userEvent.click(await screen.findByRole('button', { name: 'Load' }));
    expect(await screen.findByRole('button', { name: 'Getting started / cached' })).toBeTruthy();
    // ensureQueryData answered from the prefetched cache: the home page was read once.
    const homeReads = world.requests.filter((request) => request.method === 'GET' && request.path.includes(PAGES.home));
    expect(homeReads).toHaveLength(1);
  });
});

describe('the client behind TanStack query functions', () => {
  it('is the one of the provider that uses the QueryClient, so a prefetch made before rendering is served', async () => {
    const world = createWorld();
    const queryClient = createConfluenceQueryClient();
    renderWithConfluence(<PageTitle id={PAGES.gettingStarted} />, {
      world,
      host: 'fetch',
      providerProps: { queryClient },
    });
    expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
    const user = await queryClient.fetchQuery(confluenceQueries.currentUser());
    expect(user.accountId).toBeTruthy();
  });

  it('rejects at once with NO_PROVIDER when no provider uses the QueryClient (no hang)', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const failure = await queryClient.fetchQuery(confluenceQueries.page('1')).catch((error: unknown) => error);
    expect(isConfluenceHostError(failure) && failure.code).toBe('NO_PROVIDER');
  });

  it('confluenceQueryOptions gives a read of your own the client', async () => {
    const spaceName = (id: string) =>
      confluenceQueryOptions({
        queryKey: ['confluence', 'space-name', id],
        queryFn: async (client, { signal }) => {
          const response = await client.request<{ name: string }>({ path: `/wiki/api/v2/spaces/${id}`, signal });
          return response.data.name;
        },
      });
    function SpaceName() {
      const name = useQuery(spaceName(SPACES.engineering.id));
      return <p>{name.data ?? '…'}</p>;
    }
    renderWithConfluence(<SpaceName />, { host: 'fetch' });
    expect(await screen.findByText(SPACES.engineering.name)).toBeTruthy();
  });
});

describe('kept content: an error while data is on screen', () => {
  // The client does not retry here, so the 503 shows at once.
  const noRetries = { providerProps: { clientOptions: { retry: false as const } }, host: 'fetch' as const };

  function Refetching({ id }: { id: string }) {
    const page = useQuery(confluenceQueries.page(id));
    return (
      <RequestState query={page}>
        {(data: Page) => (
          <>
            <h1>{data.title}</h1>
            <button type="button" onClick={() => page.refetch()}>
              Refresh
            </button>
          </>
        )}
      </RequestState>
    );
  }

  it('RequestState keeps the children and shows the refetch error beside them, inline', async () => {
    const { world } = renderWithConfluence(<Refetching id={PAGES.gettingStarted} />, noRetries);
    expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
    world.setFaults({ hostDown: '503' });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-inline')).toBe('true');
    expect(screen.getByRole('heading', { name: 'Getting started' })).toBeTruthy();
    // The alert's "Try again" refetches; once the host answers, the alert goes and the content stays.
    world.resetFaults();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByRole('heading', { name: 'Getting started' })).toBeTruthy();
  });

  it('RequestState keeps the list and shows a failed "Load more" beside it; its retry loads that page', async () => {
    function Results() {
      const search = useInfiniteQuery(confluenceQueries.search('type = page', { limit: 2 }));
      return (
        <RequestState query={search}>
          {(data) => (
            <>
              <ul>
                {data.pages
                  .flatMap((page) => page.results)
                  .map((result) => (
                    <li key={result.content.id}>{result.content.title}</li>
                  ))}
              </ul>
              {search.hasNextPage && (
                <button type="button" onClick={() => search.fetchNextPage()}>
                  Load more
                </button>
              )}
            </>
          )}
        </RequestState>
      );
    }
    const { world } = renderWithConfluence(<Results />, noRetries);
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    world.setFaults({ hostDown: '503' });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect((await screen.findByRole('alert')).getAttribute('data-inline')).toBe('true');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    world.resetFaults();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(4));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('QueryBoundary keeps the content of useConfluenceSuspenseQuery and shows a refetch error beside it', async () => {
    function Title() {
      const queryClient = useQueryClient();
      const page = useConfluenceSuspenseQuery(confluenceQueries.page(PAGES.gettingStarted));
      return (
        <>
          <h1>{page.data.title}</h1>
          <button
            type="button"
            onClick={() => queryClient.refetchQueries(confluenceQueries.page(PAGES.gettingStarted))}
          >
            Refresh
          </button>
        </>
      );
    }
    const { world } = renderWithConfluence(
      <QueryBoundary>
        <Title />
      </QueryBoundary>,
      noRetries,
    );
    expect(await screen.findByRole('heading', { name: 'Getting started' })).toBeTruthy();
    world.setFaults({ hostDown: '503' });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-inline')).toBe('true');
    expect(screen.getByRole('heading', { name: 'Getting started' })).toBeTruthy();
  });
});

describe('the rate-limit alert', () => {
  it('shows its countdown from the first frame it is on screen', async () => {
    const frames: (number | undefined)[] = [];
    const world = createWorld({ faults: { rateLimit: { retryAfterSeconds: 40 } } });
    renderWithConfluence(<PageTitle id={PAGES.gettingStarted} />, {
      world,
      host: 'fetch',
      providerProps: {
        renderState: {
          'rate-limited': ({ message, secondsLeft }) => {
            frames.push(secondsLeft);
            return <p>{message}</p>;
          },
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Confluence is busy. Retrying in 40 s.');
    expect(frames[0]).toBe(40);
    await act(async () => {});
  });
});
